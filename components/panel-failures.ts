'use client';

import { useSyncExternalStore } from 'react';

/**
 * The panels of the screen that show an error now, for the live header: it said "updated 3s ago"
 * while every panel below it had failed (database down), as if the numbers were fresh.
 */
const failed = new Set<object>();
const listeners = new Set<() => void>();

/** Records whether the panel `panel` shows an error (false also when it goes away). */
export function reportPanel(panel: object, failing: boolean): void {
  if (failed.has(panel) === failing) return;
  if (failing) failed.add(panel);
  else failed.delete(panel);
  for (const l of listeners) l();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

/** How many panels of the screen show an error. */
export function useFailedPanels(): number {
  return useSyncExternalStore(
    subscribe,
    () => failed.size,
    () => 0,
  );
}
