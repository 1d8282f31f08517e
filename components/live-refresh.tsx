'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState, useTransition } from 'react';
import { useFailedPanels } from './panel-failures.ts';

/**
 * When the range ends at "now", re-renders the page's server panels every `intervalMs` (new
 * records appear without a reload; panels keep their content while refreshing, so nothing jumps).
 */
export function LiveRefresh({ intervalMs = 10_000 }: { intervalMs?: number }) {
  const router = useRouter();
  const [paused, setPaused] = useState(false);
  const [updatedAt, setUpdatedAt] = useState(() => Date.now());
  const [now, setNow] = useState(() => Date.now());
  const [pending, startTransition] = useTransition();

  useEffect(() => {
    if (paused) return;
    const timer = setInterval(() => {
      startTransition(() => router.refresh());
    }, intervalMs);
    return () => clearInterval(timer);
  }, [paused, intervalMs, router]);
  // Updated when a refresh has rendered, not when it was asked for.
  const wasPending = useRef(false);
  useEffect(() => {
    if (wasPending.current && !pending) setUpdatedAt(Date.now());
    wasPending.current = pending;
  }, [pending]);
  const failed = useFailedPanels();

  useEffect(() => {
    const tick = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(tick);
  }, []);

  const ago = Math.max(0, Math.round((now - updatedAt) / 1000));
  return (
    <div className="flex items-center gap-2 text-xs text-gray-500 dark:text-gray-400" aria-live="polite">
      <span data-testid="live-status" className={failed > 0 ? 'text-red-700 dark:text-red-300' : undefined}>
        {paused
          ? 'Live updates paused'
          : pending
            ? 'Updating…'
            : failed > 0
              ? `Live · ${failed === 1 ? 'a panel' : `${failed} panels`} could not be loaded (tried ${ago}s ago)`
              : `Live · updated ${ago}s ago`}
      </span>
      <button
        type="button"
        onClick={() => setPaused((p) => !p)}
        className="rounded border border-gray-300 px-2 py-0.5 hover:bg-gray-100 dark:border-gray-700 dark:hover:bg-gray-800"
      >
        {paused ? 'Resume' : 'Pause'}
      </button>
    </div>
  );
}
