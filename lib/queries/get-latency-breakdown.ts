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
): Promise<{ by: InsightDimension } & LatencyBreakdown> {
  return {
    by,
    ...((await getLatencyBreakdowns(filters, [by], limit)).get(by) ?? { rows: [], totalRows: 0 }),
  };
}

/** A breakdown's largest rows, and how many keys it has (`totalRows`, before the limit). */
export interface LatencyBreakdown {
  rows: LatencyBreakdownRow[];
  totalRows: number;
}

/**
 * getLatencyBreakdown by each of `bys`, in one read of the rollups: the latency screen's four
 * tables read the same rows four times (~1 s each at 30 days on 2M records, side by side).
 */
export async function getLatencyBreakdowns(
  filters: Filters,
  bys: readonly InsightDimension[],
  limit: number,
): Promise<Map<InsightDimension, LatencyBreakdown>> {
  const rows = await queryInsights(filters, { kind: 'latency', groupBys: bys, allowHourRollups: true });
  const histograms = new Map(bys.map((by) => [by, new Map<string, number[]>()]));
  for (const r of rows) {
    const byKey = histograms.get(r.dim as InsightDimension);
    if (!byKey) throw new Error(`latency row of dimension ${r.dim}, not asked for`);
    const key = r.k ?? '';
    let h = byKey.get(key);
    if (!h) {
      h = emptyHistogram();
      byKey.set(key, h);
    }
    h[Number(r.value)] += Number(r.n);
  }
  const out = new Map<InsightDimension, LatencyBreakdown>();
  for (const [by, byKey] of histograms) {
    const ranked = [...byKey].map(([key, h]) => ({ key, ...latencyStats(h) }));
    ranked.sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    out.set(by, { rows: ranked.slice(0, limit), totalRows: ranked.length });
  }
  return out;
}
