'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { type RefObject, useEffect } from 'react';
import { withSearchParams } from '@/lib/search-params.ts';

/**
 * The control that last changed the URL, by its accessible name, and when. The screen's controls
 * remount with the new state, and focus fell to the page: a keyboard user had to Tab back to the
 * filter after every change (and ArrowDown in a select did nothing after the first step).
 */
let refocus: { name: string; at: number } | null = null;
const REFOCUS_WITHIN_MS = 3_000;

function controlName(el: Element | null): string | null {
  if (!(el instanceof HTMLElement) || el === document.body) return null;
  return el.getAttribute('aria-label') ?? el.textContent?.trim() ?? null;
}

/**
 * Remembers the focused control (or the one named `name`, when the focused one goes away with the
 * change, as a custom range's Apply button does), to focus it again once the screen re-renders.
 */
export function rememberFocus(name: string | null = controlName(document.activeElement)): void {
  refocus = name ? { name, at: Date.now() } : null;
}

/** Focuses again, inside `container`, the control remembered by rememberFocus (once). */
export function useRefocus(container: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const wanted = refocus;
    if (!wanted || !container.current || Date.now() - wanted.at > REFOCUS_WITHIN_MS) return;
    for (const el of container.current.querySelectorAll<HTMLElement>('select, a, button, input')) {
      if (controlName(el) === wanted.name) {
        el.focus();
        refocus = null;
        return;
      }
    }
  }, [container]);
}

/**
 * Writes screen state to the URL: discrete choices push a history entry, text inputs replace it.
 * Any change resets paging (the cursor belongs to the old filters).
 */
export function useSetSearchParams() {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const set = (changes: Record<string, string | null>, replace = false, focusAfter?: string) => {
    const url = `${pathname}${withSearchParams(new URLSearchParams(params.toString()), { ...changes, cursor: null })}`;
    if (!replace) rememberFocus(focusAfter);
    if (replace) router.replace(url);
    else router.push(url);
  };
  return { params, set };
}
