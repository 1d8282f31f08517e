'use client';

import { useSyncExternalStore } from 'react';

/**
 * Something on the screen the live refresh must not move, and what the header says about it: a
 * record the user opened in the explorer to read (components/open-records-hold.tsx). While one
 * is held, LiveRefresh stops its timer, says why, and refreshes only when asked.
 */
export interface LiveHold {
  /** The status reads "Live updates paused while {reason}". */
  reason: string;
  /**
   * The records API's JSON page of the records logged since the newest one shown (`url`), and the
   * ones of that instant the screen already shows (`shown`, their ids): the rest are the newer
   * records a refresh would add, counted while held.
   */
  newer?: { url: string; shown: string[] };
  /** Called just before a refresh the user asks for, to keep what they read where it is. */
  beforeRefresh: () => void;
}

const holds = new Map<object, LiveHold>();
let current: LiveHold | undefined;
const listeners = new Set<() => void>();

const sameHold = (a: LiveHold | undefined, b: LiveHold | null) =>
  a !== undefined &&
  b !== null &&
  a.reason === b.reason &&
  a.beforeRefresh === b.beforeRefresh &&
  a.newer?.url === b.newer?.url &&
  a.newer?.shown.join() === b.newer?.shown.join();

/** Records (or, with null, releases) `owner`'s hold on the live refresh. */
export function setLiveHold(owner: object, hold: LiveHold | null): void {
  if (hold === null ? !holds.has(owner) : sameHold(holds.get(owner), hold)) return;
  if (hold === null) holds.delete(owner);
  else holds.set(owner, hold);
  current = holds.values().next().value;
  for (const l of listeners) l();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

/** The first hold on the screen's live refresh, if any. */
export function useLiveHold(): LiveHold | undefined {
  return useSyncExternalStore(
    subscribe,
    () => current,
    () => undefined,
  );
}
