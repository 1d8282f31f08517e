import { cache } from 'react';
import type { Counts } from '@/lib/acct/types.ts';
import { FILTER_PARAMS, type Filters } from '@/lib/filters.ts';
import { parseKeptScreen } from '@/lib/kept-screen.ts';
import type { Bucket } from '@/lib/queries/buckets.ts';
import type { Dimension } from '@/lib/queries/count-query.ts';
import { computeRates, emptyCounts } from '@/lib/queries/counts.ts';
import { getBounces } from '@/lib/queries/get-bounces.ts';
import { getBreakdown } from '@/lib/queries/get-breakdown.ts';
import { getLatencyBreakdowns } from '@/lib/queries/get-latency-breakdown.ts';
import { getTimeseries } from '@/lib/queries/get-timeseries.ts';
import type { InsightDimension } from '@/lib/queries/insight-query.ts';
import { checkCountableWindow } from '@/lib/queries/query-counts.ts';
import type { Screen } from '@/lib/screen-params.ts';

/**
 * A screen of counts from its URL: parseKeptScreen, then refused up front (ParamError) when its
 * window cannot be counted exactly (checkCountableWindow; `charted`: with its chart's bucket and
 * zone), so that the screen says so in one place instead of in each panel.
 */
export async function parseCountScreen(params: URLSearchParams, charted = true): Promise<Screen> {
  const screen = await parseKeptScreen(params);
  await checkCountableWindow(screen.filters, charted ? { bucket: screen.bucket, tz: screen.tz } : undefined);
  return screen;
}

/**
 * One time series per request for a screen's filters, bucket and zone: the chart and the KPI
 * cards read it once (React's per-request cache; both get the same Filters object).
 */
export const getScreenSeries = cache((filters: Filters, bucket: Bucket, tz: string) =>
  getTimeseries(filters, bucket, tz),
);

/** The range's counts as the sum of its series: the buckets cover [from, to) exactly once. */
export async function getScreenSummary(filters: Filters, bucket: Bucket, tz: string) {
  const { points } = await getScreenSeries(filters, bucket, tz);
  const counts: Counts = emptyCounts();
  for (const p of points) for (const k of Object.keys(counts) as (keyof Counts)[]) counts[k] += p.counts[k];
  return {
    from: filters.from.toISOString(),
    to: filters.to.toISOString(),
    counts,
    rates: computeRates(counts),
  };
}

/** The bounces screen's one read per request (KPIs, chart and category table share it). */
export const getScreenBounces = cache((filters: Filters, bucket: Bucket, tz: string) =>
  getBounces(filters, bucket, tz),
);

/** This request's breakdowns, by dimension and filters (equal filters, even built apart, share). */
const requestBreakdowns = cache(() => new Map<string, ReturnType<typeof getBreakdown>>());

/**
 * A breakdown read once per request: the overview's top-domains table and the filter bar's domain
 * list are the same 90-day read (~150 ms each on 10M records), and they ran side by side.
 */
export async function getScreenBreakdown(filters: Filters, by: Dimension, limit: number) {
  const key = [
    by,
    filters.from.toISOString(),
    filters.to.toISOString(),
    // JSON, not a join: [] (no filter) and [''] (the "(none)" key) join alike.
    ...FILTER_PARAMS.map((p) => JSON.stringify(filters[p])),
  ].join('\u0001');
  const reads = requestBreakdowns();
  let all = reads.get(key);
  if (!all) {
    all = getBreakdown(filters, by, Number.MAX_SAFE_INTEGER);
    reads.set(key, all);
  }
  const { rows, totalRows } = await all;
  return { by, rows: rows.slice(0, limit), totalRows };
}

/**
 * The latency screen's tables, by each of `bys`, in one read per request (getLatencyBreakdowns):
 * each table read the same rollup rows on its own.
 */
export const getScreenLatencyBreakdowns = cache(
  (filters: Filters, bys: readonly InsightDimension[], limit: number) =>
    getLatencyBreakdowns(filters, bys, limit),
);
