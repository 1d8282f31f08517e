'use client';

import Link from 'next/link';
import { usePathname, useSearchParams } from 'next/navigation';
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
const CARRIED = ['range', 'from', 'to', 'tz', 'bucket', 'refresh', ...FILTER_PARAMS];

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

/** The main navigation links; moving between screens keeps the range and filters in `query`. */
export function MainNavLinks({ query }: { query: string }) {
  const pathname = usePathname();
  return (
    <>
      {LINKS.map((l) => {
        const active =
          l.href === '/'
            ? pathname === '/'
            : [l.href, ...(l.also ?? [])].some((p) => pathname === p || pathname.startsWith(`${p}/`));
        return (
          <Link
            prefetch={false}
            key={l.href}
            href={l.href === '/ingest' ? l.href : `${l.href}${query}`}
            aria-current={active ? 'page' : undefined}
            className={
              active
                ? 'font-medium text-gray-900 dark:text-white'
                : 'text-gray-600 hover:text-gray-900 dark:text-gray-300 dark:hover:text-white'
            }
          >
            {l.label}
          </Link>
        );
      })}
    </>
  );
}

/** The main navigation with the current screen's state (needs a Suspense boundary). */
export function MainNav() {
  return <MainNavLinks query={carried(useSearchParams(), usePathname())} />;
}
