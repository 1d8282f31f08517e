'use client';

import { usePathname, useSearchParams } from 'next/navigation';
import { useEffect } from 'react';

const KEEP_WITHIN_MS = 3_000;
let wanted: { key: string; at: number } | null = null;

/**
 * Keeps the focus on a link that changes the screen in place (a table's sort header, the
 * domains/providers toggle): marked `data-keep-focus="<key>"`, it is focused again once the new
 * screen has it (a streamed table can take a moment). Focus fell to the page, and a keyboard user
 * had to Tab through the whole page to come back to the table.
 */
export function FocusKeeper() {
  const pathname = usePathname();
  const search = useSearchParams().toString();
  useEffect(() => {
    const remember = (event: Event) => {
      const link = (event.target as Element | null)?.closest?.('[data-keep-focus]');
      const key = link?.getAttribute('data-keep-focus');
      wanted = key ? { key, at: Date.now() } : null;
    };
    document.addEventListener('click', remember, true);
    return () => document.removeEventListener('click', remember, true);
  }, []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs once per new screen (path or query)
  useEffect(() => {
    const target = wanted;
    if (!target) return;
    let frame = 0;
    const look = () => {
      if (wanted !== target || Date.now() - target.at > KEEP_WITHIN_MS) return;
      const el = document.querySelector<HTMLElement>(`[data-keep-focus="${CSS.escape(target.key)}"]`);
      if (el?.isConnected && document.activeElement !== el) {
        el.focus();
        wanted = null;
        return;
      }
      frame = requestAnimationFrame(look);
    };
    look();
    return () => cancelAnimationFrame(frame);
  }, [pathname, search]);
  return null;
}
