import { emptyHistogram, type LatencyStats, latencyStats } from '../acct/latency.ts';
import type { Filters } from '../filters.ts';
import type { InsightDimension } from './insight-query.ts';
import { queryInsights } from './query-insights.ts';

export interface LatencyBreakdownRow extends LatencyStats {
  key: string;
}

/**
 * Delivery latency per provider, recipient domain, VirtualMTA or pool (most deliveries first):
 * count and p50/p90/p99 in ms from the histograms of the insight rollups, percentiles as in
 * getLatency (upper bound of the histogram bucket holding the nearest rank).
 */
export async function getLatencyBreakdown(
  filters: Filters,
  by: InsightDimension,
  limit: number,
): Promise<{ by: InsightDimension; rows: LatencyBreakdownRow[] }> {
  const rows = await queryInsights(filters, { kind: 'latency', groupBy: by, allowHourRollups: true });
  const byKey = new Map<string, number[]>();
  for (const r of rows) {
    const key = r.k ?? '';
    let h = byKey.get(key);
    if (!h) {
      h = emptyHistogram();
      byKey.set(key, h);
    }
    h[Number(r.value)] += Number(r.n);
  }
  const out = [...byKey].map(([key, h]) => ({ key, ...latencyStats(h) }));
  out.sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { by, rows: out.slice(0, limit) };
}
