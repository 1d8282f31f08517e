'use client';

import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useRef, useState, useTransition } from 'react';
import { FloatingNotice, useOnScreen } from './floating-notice.tsx';
import { type LiveHold, useLiveHold } from './live-holds.ts';
import { useFailedPanels } from './panel-failures.ts';

const button =
  'rounded border border-gray-300 px-2 py-0.5 hover:bg-gray-100 dark:border-gray-700 dark:hover:bg-gray-800';

/**
 * How many records a refresh would add while the screen is held (LiveHold.newer), asked every
 * `intervalMs`: `more` when there are more than the API's page holds. Null when not held or not
 * known (yet, or the request failed).
 */
function useNewerRecords(newer: LiveHold['newer'], intervalMs: number) {
  const [count, setCount] = useState<{ url: string; n: number; more: boolean } | null>(null);
  const url = newer?.url;
  const shown = newer?.shown.join('\n');
  useEffect(() => {
    if (url === undefined) return;
    const ids = new Set(shown ? shown.split('\n') : []);
    let stopped = false;
    const ask = async () => {
      try {
        const res = await fetch(url, { cache: 'no-store' });
        if (!res.ok) return;
        const page: { records: { id: string }[]; nextCursor: string | null } = await res.json();
        if (!stopped) {
          setCount({
            url,
            n: page.records.filter((r) => !ids.has(r.id)).length,
            more: page.nextCursor !== null,
          });
        }
      } catch {
        // Unknown this time: the status says only that the screen is held.
      }
    };
    void ask();
    const timer = setInterval(ask, intervalMs);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [url, shown, intervalMs]);
  return count !== null && count.url === url ? count : null;
}

/**
 * When the range ends at "now", re-renders the page's server panels every `intervalMs` (new
 * records appear without a reload; panels keep their content while refreshing, so nothing jumps).
 * While something on the screen is held (live-holds.ts: a record open in the explorer) it waits,
 * says why and how many newer records there are, refreshes when asked, and again once released.
 * Scrolled away from the header (a record read far down the list), the same words and button
 * float in view: the header alone went unseen, and with it that the list was no longer live.
 */
export function LiveRefresh({ intervalMs = 10_000 }: { intervalMs?: number }) {
  const router = useRouter();
  const [paused, setPaused] = useState(false);
  const [updatedAt, setUpdatedAt] = useState(() => Date.now());
  const [now, setNow] = useState(() => Date.now());
  const [pending, startTransition] = useTransition();
  const hold = useLiveHold();
  const held = hold !== undefined;
  const refresh = useCallback(
    (before?: () => void) => {
      before?.();
      startTransition(() => router.refresh());
    },
    [router],
  );

  useEffect(() => {
    if (paused || held) return;
    const timer = setInterval(() => refresh(), intervalMs);
    return () => clearInterval(timer);
  }, [paused, held, intervalMs, refresh]);
  // Released (the last open record closed): what came meanwhile shows now, not a period later.
  const wasHeld = useRef(held);
  useEffect(() => {
    if (wasHeld.current && !held && !paused) refresh();
    wasHeld.current = held;
  }, [held, paused, refresh]);
  const newer = useNewerRecords(paused ? undefined : hold?.newer, intervalMs);
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
  const newerText = newer && newer.n > 0 ? `${newer.n}${newer.more ? '+' : ''} newer` : null;
  const records = newer && newer.n === 1 && !newer.more ? 'record' : 'records';
  const root = useRef<HTMLDivElement>(null);
  const onScreen = useOnScreen(root);
  const heldText = hold
    ? `Live updates paused while ${hold.reason}${newerText ? ` · ${newerText} ${records}` : ''}`
    : '';
  const showHeld = (className: string) => (
    <button type="button" onClick={() => refresh(hold?.beforeRefresh)} className={className}>
      {newerText ? `Show ${newerText} ${records}` : 'Update now'}
    </button>
  );
  // One of the two at a time for assistive technology: the floating one while it shows.
  const floating = hold !== undefined && !paused && !onScreen;
  return (
    <div
      ref={root}
      className="flex items-center gap-2 text-xs text-gray-500 dark:text-gray-400"
      aria-live={floating ? undefined : 'polite'}
    >
      <span
        data-testid="live-status"
        className={failed > 0 ? 'text-red-700 dark:text-red-300' : undefined}
        aria-hidden={floating || undefined}
      >
        {paused
          ? 'Live updates paused'
          : pending
            ? 'Updating…'
            : hold
              ? heldText
              : failed > 0
                ? `Live · ${failed === 1 ? 'a panel' : `${failed} panels`} could not be loaded (tried ${ago}s ago)`
                : `Live · updated ${ago}s ago`}
      </span>
      {hold && !paused ? (
        <span inert={floating} aria-hidden={floating || undefined} className="contents">
          {showHeld(button)}
        </span>
      ) : null}
      <button type="button" onClick={() => setPaused((p) => !p)} className={button}>
        {paused ? 'Resume' : 'Pause'}
      </button>
      {floating ? (
        <FloatingNotice label="Live updates">
          <span data-testid="live-hold-notice">{pending ? 'Updating…' : heldText}</span>
          {showHeld(`${button} text-xs`)}
        </FloatingNotice>
      ) : null}
    </div>
  );
}
