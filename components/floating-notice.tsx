'use client';

import { type RefObject, useEffect, useState } from 'react';

/**
 * Whether the element is on screen (true until known). The explorer's live status sits in the
 * screen's header, which a reader of a record far down the list has scrolled away from.
 */
export function useOnScreen(ref: RefObject<Element | null>): boolean {
  const [onScreen, setOnScreen] = useState(true);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const observer = new IntersectionObserver(([entry]) => setOnScreen(entry.isIntersecting));
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);
  return onScreen;
}

/**
 * A notice kept in view at the bottom of the window, wherever the page is scrolled: what the
 * reader must know about the list under their eyes (it is held, a record left it). `row` stacks
 * several.
 */
export function FloatingNotice({
  label,
  row = 0,
  children,
}: {
  label: string;
  row?: 0 | 1;
  children: React.ReactNode;
}) {
  return (
    <div
      role="status"
      aria-label={label}
      className={`fixed left-1/2 z-40 flex max-w-[calc(100vw-2rem)] -translate-x-1/2 flex-wrap items-center justify-center gap-2 rounded-2xl border border-gray-300 bg-white px-4 py-2 text-sm text-gray-700 shadow-lg dark:border-gray-700 dark:bg-gray-900 dark:text-gray-200 ${row === 0 ? 'bottom-4' : 'bottom-20'}`}
    >
      {children}
    </div>
  );
}
