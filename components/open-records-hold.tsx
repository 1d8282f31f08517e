'use client';

import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { cursorAt, recordAnchor } from '@/lib/record-cursor.ts';
import { FloatingNotice } from './floating-notice.tsx';
import { type LiveHold, setLiveHold } from './live-holds.ts';

/** A record the reader had open, as the notice names it and the link finds it. */
interface Reading {
  el: HTMLDetailsElement;
  top: number;
  /** Its row's time and recipient, as shown. */
  label: string;
  /** The older page that starts with it, the record opened there. */
  href: string | null;
}

function reading(el: HTMLDetailsElement): Reading {
  const cells = el.closest('tr')?.cells;
  const label = [cells?.[0], cells?.[2]].map((c) => c?.textContent?.trim() ?? '').filter(Boolean);
  const { recordId, timeLogged } = el.dataset;
  let href: string | null = null;
  if (recordId && timeLogged) {
    const params = new URLSearchParams(window.location.search);
    params.set('cursor', cursorAt(timeLogged, recordId));
    href = `?${params.toString()}#${recordAnchor(recordId)}`;
  }
  return { el, top: documentTop(el), label: label.join(' · '), href };
}

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
 * back to where it was on screen. Closing the last one resumes the refresh. If the newer records
 * push it past the page's last row (the page holds `limit` records), it leaves the page: that is
 * said, in view, with a link to the older page that starts with it, where it opens again.
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
  const anchor = useRef<Reading | null>(null);
  const [left, setLeft] = useState<Omit<Reading, 'el' | 'top'> | null>(null);
  const keep = useCallback(() => {
    const el = openRecord(root.current);
    anchor.current = el ? reading(el) : null;
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
    } else if (a && !a.el.isConnected) {
      // The refresh took it off the page: live updates resume (nothing is open), and without this
      // the reader lost the record without a word.
      setLeft({ label: a.label, href: a.href });
    }
    sync();
  });

  // Arrived by that link: the record is opened, as it was.
  useEffect(() => {
    const target = window.location.hash.slice(1);
    const el = target.startsWith('record-') ? document.getElementById(target) : null;
    if (el instanceof HTMLDetailsElement && root.current?.contains(el)) {
      el.open = true;
      el.scrollIntoView({ block: 'start' });
    }
  }, []);

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
      {left ? (
        <FloatingNotice label="Open record" row={1}>
          <span data-testid="record-left-page">
            The record you had open{left.label ? ` (${left.label})` : ''} is no longer on this page: the newer
            records pushed it past the page's last row.
          </span>
          {left.href ? (
            <a href={left.href} className="text-blue-700 hover:underline dark:text-blue-300">
              Open it on its page
            </a>
          ) : null}
          <button
            type="button"
            onClick={() => setLeft(null)}
            className="rounded border border-gray-300 px-2 py-0.5 text-xs hover:bg-gray-100 dark:border-gray-700 dark:hover:bg-gray-800"
          >
            Dismiss
          </button>
        </FloatingNotice>
      ) : null}
    </div>
  );
}
