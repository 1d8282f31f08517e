'use client';

import Link from 'next/link';
import { usePathname, useSearchParams } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { FILTER_PARAMS, filterParamValue, keyOfPathSegment } from '@/lib/filters.ts';
import { SCREENS } from '@/lib/screens.ts';

const LINKS = [
  { href: '/', label: 'Overview' },
  { href: '/domains', label: 'Domains', also: ['/providers'] },
  { href: '/vmtas', label: 'VirtualMTAs', also: ['/pools', '/ips'] },
  { href: '/jobs', label: 'Jobs' },
  { href: '/incidents', label: 'Incidents' },
  { href: '/reasons', label: 'Reasons' },
  { href: '/bounces', label: 'Bounces' },
  { href: '/complaints', label: 'Complaints' },
  { href: '/latency', label: 'Latency' },
  { href: '/records', label: 'Records' },
  { href: '/suppressions', label: 'Suppressions' },
  { href: '/ingest', label: 'Ingest status' },
];

/** What a screen change keeps: the window, zone, bucket and filters (not paging or sorting). */
const CARRIED = ['range', 'from', 'to', 'tz', 'bucket', 'refresh', 'compare', ...FILTER_PARAMS];

/** A detail page's key is a filter of the screens it leads to: /providers/Google → provider=Google. */
const DETAIL_FILTERS = new Map(Object.entries(SCREENS).map(([dim, spec]) => [spec.path, dim]));

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function carried(params: URLSearchParams, pathname: string): string {
  const q = new URLSearchParams();
  for (const k of CARRIED) for (const v of params.getAll(k)) q.append(k, v);
  // Leaving /providers/Google?pool=pool-c for the VirtualMTAs screen lists Google's VirtualMTAs in
  // pool-c, not every provider's (the page's key is in its path, not in its query).
  const [, screen, key] = pathname.split('/');
  const param = DETAIL_FILTERS.get(`/${screen}`);
  // The path's key wins over the query's, as on the page itself.
  if (param && key) q.set(param, filterParamValue(keyOfPathSegment(safeDecode(key))));
  const s = q.toString();
  return s ? `?${s}` : '';
}

const LINK_CLASS = {
  active: 'font-medium text-gray-900 dark:text-white',
  other: 'text-gray-600 hover:text-gray-900 dark:text-gray-300 dark:hover:text-white',
};

interface NavItem {
  href: string;
  label: string;
  active: boolean;
}

/**
 * Below the lg breakpoint, the screens behind one "Menu" button: inline, the twelve links took four
 * rows of a phone (390 px) before the page started. Escape or a click outside closes it (Escape
 * gives the focus back to the button), and so does following a link.
 */
function NavMenu({ items }: { items: NavItem[] }) {
  const [open, setOpen] = useState(false);
  // Disabled until hydrated: before, a tap did nothing and looked like a broken button.
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!open) return;
    const outside = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    const onEscape = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setOpen(false);
      button.current?.focus();
    };
    document.addEventListener('pointerdown', outside);
    document.addEventListener('keydown', onEscape);
    return () => {
      document.removeEventListener('pointerdown', outside);
      document.removeEventListener('keydown', onEscape);
    };
  }, [open]);
  return (
    <div ref={root} className="relative lg:hidden">
      <button
        ref={button}
        type="button"
        aria-expanded={open}
        aria-controls="main-menu"
        disabled={!ready}
        onClick={() => setOpen((o) => !o)}
        className="rounded border border-gray-300 px-2 py-0.5 hover:bg-gray-100 dark:border-gray-700 dark:hover:bg-gray-800"
      >
        Menu <span aria-hidden="true">{open ? '▴' : '▾'}</span>
      </button>
      <ul
        id="main-menu"
        hidden={!open}
        className="absolute left-0 top-full z-30 mt-2 w-52 rounded-lg border border-gray-200 bg-white py-1 shadow-lg dark:border-gray-700 dark:bg-gray-900"
      >
        {items.map((l) => (
          <li key={l.href}>
            <Link
              prefetch={false}
              href={l.href}
              aria-current={l.active ? 'page' : undefined}
              onClick={() => setOpen(false)}
              className={`block px-3 py-2 hover:bg-gray-100 dark:hover:bg-gray-800 ${l.active ? LINK_CLASS.active : LINK_CLASS.other}`}
            >
              {l.label}
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The main navigation links; moving between screens keeps the range and filters in `query`. */
export function MainNavLinks({ query }: { query: string }) {
  const pathname = usePathname();
  const items: NavItem[] = LINKS.map((l) => ({
    href: l.href === '/ingest' ? l.href : `${l.href}${query}`,
    label: l.label,
    active:
      l.href === '/'
        ? pathname === '/'
        : [l.href, ...(l.also ?? [])].some((p) => pathname === p || pathname.startsWith(`${p}/`)),
  }));
  return (
    <>
      <NavMenu items={items} />
      {/* From lg on, the links inline, as the flex items of the header's row (display: contents). */}
      <div className="hidden lg:contents">
        {items.map((l) => (
          <Link
            prefetch={false}
            key={l.href}
            href={l.href}
            aria-current={l.active ? 'page' : undefined}
            className={l.active ? LINK_CLASS.active : LINK_CLASS.other}
          >
            {l.label}
          </Link>
        ))}
      </div>
    </>
  );
}

/** The main navigation with the current screen's state (needs a Suspense boundary). */
export function MainNav() {
  return <MainNavLinks query={carried(useSearchParams(), usePathname())} />;
}
