import type { Dimension } from './queries/count-query.ts';

/** A dimension that has its own breakdown screen and detail pages. */
export type ScreenDimension = 'domain' | 'provider' | 'vmta' | 'pool' | 'sourceIp';

export interface ScreenSpec {
  path: string;
  /** The breakdown screen's title and the detail page's noun. */
  title: string;
  noun: string;
  /** Sibling screens offered as a toggle (domains ↔ providers; VirtualMTA ↔ pool ↔ IP). */
  siblings: ScreenDimension[];
  /** What a detail page of this dimension breaks its slice down by. */
  detailBreakdowns: Dimension[];
}

export const SCREENS: Record<ScreenDimension, ScreenSpec> = {
  domain: {
    path: '/domains',
    title: 'Domains',
    noun: 'Domain',
    siblings: ['domain', 'provider'],
    detailBreakdowns: ['vmta', 'pool', 'sourceIp'],
  },
  provider: {
    path: '/providers',
    title: 'Providers',
    noun: 'Provider',
    siblings: ['domain', 'provider'],
    detailBreakdowns: ['vmta', 'pool', 'domain'],
  },
  vmta: {
    path: '/vmtas',
    title: 'VirtualMTAs',
    noun: 'VirtualMTA',
    siblings: ['vmta', 'pool', 'sourceIp'],
    detailBreakdowns: ['provider', 'domain', 'sourceIp'],
  },
  pool: {
    path: '/pools',
    title: 'Pools',
    noun: 'Pool',
    siblings: ['vmta', 'pool', 'sourceIp'],
    detailBreakdowns: ['provider', 'vmta', 'sourceIp'],
  },
  sourceIp: {
    path: '/ips',
    title: 'Sending IPs',
    noun: 'Sending IP',
    siblings: ['vmta', 'pool', 'sourceIp'],
    detailBreakdowns: ['provider', 'domain', 'vmta'],
  },
};

export const DIMENSION_LABELS: Record<Dimension, string> = {
  domain: 'Domain',
  provider: 'Provider',
  vmta: 'VirtualMTA',
  pool: 'Pool',
  sourceIp: 'Sending IP',
  job: 'Job',
  bounceCategory: 'Bounce category',
  source: 'Source host',
};

/** The detail page of one key, or null when the dimension has none. */
export function detailHref(dim: Dimension, key: string, query = ''): string | null {
  if (!key || !(dim in SCREENS)) return null;
  const spec = SCREENS[dim as ScreenDimension];
  return `${spec.path}/${encodeURIComponent(key)}${query ? `?${query}` : ''}`;
}
