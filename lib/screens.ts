import { pathSegmentOfKey } from './filters.ts';
import type { Dimension } from './queries/count-query.ts';

/** A dimension that has its own breakdown screen and detail pages. */
export type ScreenDimension = 'domain' | 'provider' | 'vmta' | 'pool' | 'sourceIp' | 'job';

export interface ScreenSpec {
  path: string;
  /** The breakdown screen's title and the detail page's noun. */
  title: string;
  noun: string;
  /** The rows in running text ("12 sending IPs", "Search VirtualMTAs"). */
  items: string;
  /**
   * The breakdown screen's sort without `sort=`. The sending side sorts by deliveries: received
   * records carry no sending IP and, when injected into a pool, no VirtualMTA, so by all records
   * the "(none)" row of received mail would come first.
   */
  defaultSort: 'total' | 'delivered';
  /** Sibling screens offered as a toggle (domains ↔ providers; VirtualMTA ↔ pool ↔ IP; none for jobs). */
  siblings: ScreenDimension[];
  /** What a detail page of this dimension breaks its slice down by. */
  detailBreakdowns: Dimension[];
}

export const SCREENS: Record<ScreenDimension, ScreenSpec> = {
  domain: {
    path: '/domains',
    title: 'Domains',
    noun: 'Domain',
    items: 'domains',
    defaultSort: 'total',
    siblings: ['domain', 'provider'],
    detailBreakdowns: ['vmta', 'pool', 'sourceIp'],
  },
  provider: {
    path: '/providers',
    title: 'Providers',
    noun: 'Provider',
    items: 'providers',
    defaultSort: 'total',
    siblings: ['domain', 'provider'],
    detailBreakdowns: ['vmta', 'pool', 'sourceIp', 'domain'],
  },
  vmta: {
    path: '/vmtas',
    title: 'VirtualMTAs',
    noun: 'VirtualMTA',
    items: 'VirtualMTAs',
    defaultSort: 'delivered',
    siblings: ['vmta', 'pool', 'sourceIp'],
    detailBreakdowns: ['provider', 'domain', 'sourceIp'],
  },
  pool: {
    path: '/pools',
    title: 'Pools',
    noun: 'Pool',
    items: 'pools',
    defaultSort: 'total',
    siblings: ['vmta', 'pool', 'sourceIp'],
    detailBreakdowns: ['provider', 'vmta', 'sourceIp'],
  },
  sourceIp: {
    path: '/ips',
    title: 'Sending IPs',
    noun: 'Sending IP',
    items: 'sending IPs',
    defaultSort: 'delivered',
    siblings: ['vmta', 'pool', 'sourceIp'],
    detailBreakdowns: ['provider', 'domain', 'vmta'],
  },
  // PowerMTA's job id (the X-Job header, or the jobId field): a campaign or a mailing. Sorted by
  // deliveries like the sending side: its received records carry the job too.
  job: {
    path: '/jobs',
    title: 'Jobs',
    noun: 'Job',
    items: 'jobs',
    defaultSort: 'delivered',
    siblings: [],
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
  return `${spec.path}/${encodeURIComponent(pathSegmentOfKey(key))}${query ? `?${query}` : ''}`;
}
