import {
  type DayPreset,
  FILTER_PARAMS,
  type Filters,
  filterParamValue,
  isDayPreset,
  ParamError,
  parseChoice,
  parseFilters,
  parseTimeZone,
  single,
} from './filters.ts';
import { BUCKETS, type Bucket, bucketsFit, chooseBucket, MAX_BUCKETS } from './queries/buckets.ts';
import { COMPARE_CHOICES, type CompareChoice } from './queries/compare.ts';

export const BUCKET_CHOICES = ['auto', ...BUCKETS] as const;
export type BucketChoice = (typeof BUCKET_CHOICES)[number];

export interface Screen {
  filters: Filters;
  /** Display zone (`tz=`, default the server's TZ). */
  tz: string;
  /** The bucket the charts use: `bucket=` or, with `auto`, one chosen from the range. */
  bucket: Bucket;
  /** Whether the range ends now (no `to`): such a screen refreshes itself. */
  live: boolean;
  /** Seconds between live refreshes (`refresh=`, 1–3600, default 10). */
  refreshSeconds: number;
  /**
   * Where the minute rollups are kept from (ms; -Infinity: all): 'auto' takes no minute buckets
   * before it, and the bucket control does not offer them (MINUTE_ROLLUP_RETENTION_DAYS).
   */
  minuteKeptFrom: number;
  /** The calendar day the range is (`range=today|yesterday` without `from`): compared day to day. */
  dayPreset?: DayPreset;
  /** What the KPI cards compare with (`compare=previous|week`, default previous; see previousPeriod). */
  compare: CompareChoice;
}

/**
 * Every screen's URL state in one typed object; a bad value is a ParamError naming it.
 * `minuteKeptFrom`: where the minute rollups are kept from (readKeptFrom), for the bucket.
 */
export function parseScreen(
  params: URLSearchParams,
  now = new Date(),
  minuteKeptFrom = Number.NEGATIVE_INFINITY,
): Screen {
  const filters = parseFilters(params, now);
  const tz = parseTimeZone(params);
  const choice = parseChoice(params, 'bucket', BUCKET_CHOICES, 'auto');
  const bucket = choice === 'auto' ? chooseBucket(filters.from, filters.to, minuteKeptFrom) : choice;
  if (!bucketsFit(filters.from, filters.to, bucket, tz)) {
    throw new ParamError(
      `more than ${MAX_BUCKETS.toLocaleString('en-US')} ${bucket} buckets in this range; choose a larger bucket`,
      'bucket',
    );
  }
  const refresh = Number(single(params, 'refresh'));
  const range = single(params, 'range');
  const dayPreset = single(params, 'from') === undefined && isDayPreset(range) ? range : undefined;
  return {
    filters,
    tz,
    bucket,
    live: single(params, 'to') === undefined,
    refreshSeconds: Number.isInteger(refresh) && refresh >= 1 && refresh <= 3600 ? refresh : 10,
    minuteKeptFrom,
    ...(dayPreset ? { dayPreset } : {}),
    compare: parseChoice(params, 'compare', COMPARE_CHOICES, 'previous'),
  };
}

/**
 * A screen's URL state for links to other screens (detail pages): the window, zone, bucket and
 * filters, without what only one table or page of it reads (search, sort, paging).
 */
export function carriedQuery(params: URLSearchParams): string {
  const q = new URLSearchParams(params);
  for (const k of ['search', 'sort', 'dir', 'limit', 'cursor', 'minDelivered']) q.delete(k);
  return q.toString();
}

/**
 * The query string of exactly [from, to), the filters and the screen's zone, plus `extra` (which
 * replaces). A filter's
 * '' (the "(none)" key, in `filters` or `extra`) is written as NONE, which selects it.
 */
export function filtersQuery(filters: Filters, extra: Record<string, string | string[]> = {}): string {
  const q = new URLSearchParams({ from: filters.from.toISOString(), to: filters.to.toISOString() });
  for (const name of FILTER_PARAMS) for (const v of filters[name]) q.append(name, filterParamValue(v));
  if (filters.tz) q.set('tz', filters.tz);
  for (const [k, v] of Object.entries(extra)) {
    q.delete(k);
    const isFilter = (FILTER_PARAMS as readonly string[]).includes(k);
    for (const x of [v].flat()) q.append(k, isFilter ? filterParamValue(x) : x);
  }
  return q.toString();
}

/**
 * The records explorer's query for a time chart's buckets: the screen's filters and zone with
 * `extra` (the types charted), without from/to, which each bucket adds as its own window.
 */
export function bucketRecordsQuery(filters: Filters, extra: Record<string, string | string[]>): string {
  const q = new URLSearchParams(filtersQuery(filters, extra));
  q.delete('from');
  q.delete('to');
  return q.toString();
}

/** A records-explorer link for exactly [from, to) of the filters, plus `extra` (type, a key…). */
export function recordsHref(filters: Filters, extra: Record<string, string | string[]>): string {
  return `/records?${filtersQuery(filters, extra)}`;
}
