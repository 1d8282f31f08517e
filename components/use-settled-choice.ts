'use client';

import { useEffect, useRef, useState } from 'react';

/** How long a select rests on a value chosen with the keyboard before that value applies. */
export const KEY_SETTLE_MS = 700;

/**
 * A select's choice that navigates: made with the pointer it applies at once; made with the
 * keyboard it applies once it rests (KEY_SETTLE_MS), on Enter or on leaving the select. Applied at
 * each key, every arrow press navigated and re-rendered the select, so presses made meanwhile were
 * lost (five ArrowDowns ended on the second option), typing a zone name stopped at its first
 * letter, and a detail page's own select opened a page per press.
 *
 * `choose(name, shown, value, apply)`: `name` tells the selects of one screen apart, `shown` is the
 * value the select shows now (a page reached by Back shows its own state, not an old draft);
 * `shownValue(name, shown)` is what the select should show meanwhile; spread `keyHandlers` on it.
 */
export function useSettledChoice() {
  const keyed = useRef(false);
  const pending = useRef<{ apply: () => void; timer: ReturnType<typeof setTimeout> } | null>(null);
  const [draft, setDraft] = useState<{ name: string; on: string; value: string } | null>(null);
  useEffect(
    () => () => {
      if (pending.current) clearTimeout(pending.current.timer);
    },
    [],
  );
  const flush = () => {
    const p = pending.current;
    if (!p) return;
    clearTimeout(p.timer);
    pending.current = null;
    p.apply();
  };
  const choose = (name: string, shown: string, value: string, apply: () => void) => {
    if (!keyed.current) {
      flush();
      apply();
      return;
    }
    if (pending.current) clearTimeout(pending.current.timer);
    setDraft({ name, on: shown, value });
    pending.current = {
      apply,
      timer: setTimeout(() => {
        pending.current = null;
        apply();
      }, KEY_SETTLE_MS),
    };
  };
  const shownValue = (name: string, shown: string) =>
    draft?.name === name && draft.on === shown ? draft.value : shown;
  const keyHandlers = {
    onKeyDown: (e: React.KeyboardEvent) => {
      if (e.key === 'Enter') flush();
      else if (e.key !== 'Tab') keyed.current = true;
    },
    onPointerDown: () => {
      keyed.current = false;
    },
    onBlur: flush,
  };
  return { choose, shownValue, keyHandlers, flush };
}
