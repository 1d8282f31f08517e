'use client';

import { useCallback, useEffect, useLayoutEffect, useRef } from 'react';
import { type LiveHold, setLiveHold } from './live-holds.ts';

/** Where an element is in the document, whatever the scroll: a refresh moves it, scrolling does not. */
const documentTop = (el: Element) => el.getBoundingClientRect().top + window.scrollY;

/** The open record the reader is looking at: the first one on screen, else the first one open. */
function openRecord(root: HTMLElement | null): HTMLDetailsElement | null {
  const open = [...(root?.querySelectorAll<HTMLDetailsElement>('details[open]') ?? [])];
  return (
    open.find((d) => {
      const r = d.getBoundingClientRect();
      return r.bottom > 0 && r.top < window.innerHeight;
    }) ??
    open[0] ??
    null
  );
}

/**
 * The explorer's list of records, held still while a record is open: a refresh added the new
 * records above the one being read and pushed it down the screen, or off the page (a user reading
 * a diagnostic during an incident). While any record is open the live refresh holds (live-holds.ts)
 * and counts the newer records (`newer`); when the user asks for them, the open record is scrolled
 * back to where it was on screen. Closing the last one resumes the refresh.
 */
export function OpenRecordsHold({
  newer,
  children,
}: {
  newer?: LiveHold['newer'];
  children: React.ReactNode;
}) {
  const root = useRef<HTMLDivElement>(null);
  const owner = useRef({}).current;
  // The open record and its place in the document before a refresh, to put it back after.
  const anchor = useRef<{ el: HTMLDetailsElement; top: number } | null>(null);
  const keep = useCallback(() => {
    const el = openRecord(root.current);
    anchor.current = el ? { el, top: documentTop(el) } : null;
  }, []);
  const url = newer?.url;
  const shown = newer?.shown.join('\n');
  const sync = useCallback(() => {
    const open = root.current?.querySelector('details[open]');
    setLiveHold(
      owner,
      open
        ? {
            reason: 'a record is open',
            newer: url === undefined ? undefined : { url, shown: shown ? shown.split('\n') : [] },
            beforeRefresh: keep,
          }
        : null,
    );
  }, [owner, url, shown, keep]);

  // Every commit of this list is a refresh (a new URL remounts it): the open record goes back to
  // its place on screen before the browser paints, and the hold follows the rows now open.
  useLayoutEffect(() => {
    const a = anchor.current;
    anchor.current = null;
    if (a?.el.isConnected && a.el.open) {
      const moved = documentTop(a.el) - a.top;
      if (moved !== 0) window.scrollBy(0, moved);
    }
    sync();
  });

  const latestSync = useRef(sync);
  latestSync.current = sync;
  useEffect(() => {
    const el = root.current;
    if (!el) return;
    // `toggle` does not bubble: caught on its way down. A record opened while a refresh is on its
    // way is kept in place too.
    const onToggle = () => {
      keep();
      latestSync.current();
    };
    el.addEventListener('toggle', onToggle, true);
    return () => {
      el.removeEventListener('toggle', onToggle, true);
      setLiveHold(owner, null);
    };
  }, [owner, keep]);

  // The browser's own scroll anchoring would move the page too: one correction, ours.
  return (
    <div ref={root} className="[overflow-anchor:none]">
      {children}
    </div>
  );
}
