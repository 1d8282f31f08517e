import { emptyHistogram, type LatencyStats, latencyStats } from '../acct/latency.ts';
import type { Filters } from '../filters.ts';
import { type Bucket, bucketStarts, zoneAllowsHourRollups } from './buckets.ts';
import { queryInsights } from './query-insights.ts';

export interface LatencyPoint extends LatencyStats {
  /** Bucket start, ISO. */
  t: string;
}

export interface LatencyResult {
  overall: LatencyStats;
  points: LatencyPoint[];
}

/**
 * Delivery latency (timeLogged − timeQueued of `d` records, ms) over the slice and per time bucket:
 * count and p50/p90/p99 read from the latency histograms of the insight rollups (never raw rows).
 * A percentile is the upper bound of the histogram bucket holding its nearest rank
 * (lib/acct/latency.ts, histogramQuantile): "p of the deliveries took at most this long", at
 * most one bucket step (≤ 1.5× beyond 4 s) above the exact value; null where nothing was delivered.
 */
export async function getLatency(filters: Filters, bucket: Bucket, tz: string): Promise<LatencyResult> {
  const starts = bucketStarts(filters.from, filters.to, bucket, tz);
  const allowHourRollups = bucket !== 'minute' && zoneAllowsHourRollups(filters.from, filters.to, tz);
  const rows = await queryInsights(filters, {
    kind: 'latency',
    bucket: { unit: bucket, tz },
    allowHourRollups,
  });
  const index = new Map(starts.map((s, i) => [s.getTime(), i]));
  const histograms = starts.map(() => emptyHistogram());
  const overall = emptyHistogram();
  for (const r of rows) {
    const i = r.b ? index.get(r.b.getTime()) : undefined;
    if (i === undefined) throw new Error(`bucket ${r.b?.toISOString()} is outside the series`);
    const at = Number(r.value);
    const n = Number(r.n);
    histograms[i][at] += n;
    overall[at] += n;
  }
  return {
    overall: latencyStats(overall),
    points: starts.map((s, i) => ({ t: s.toISOString(), ...latencyStats(histograms[i]) })),
  };
}
