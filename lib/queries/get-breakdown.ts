import type { Counts } from '../acct/types.ts';
import type { Filters } from '../filters.ts';
import type { Dimension } from './count-query.ts';
import { addCount, computeRates, emptyCounts, totalOf } from './counts.ts';
import { queryCounts } from './query-counts.ts';

export interface BreakdownRow {
  key: string;
  counts: Counts;
  rates: ReturnType<typeof computeRates>;
}

/** Counts per value of one dimension, largest (all record types together) first. */
export async function getBreakdown(filters: Filters, by: Dimension, limit: number) {
  const rows = await queryCounts({ filters, groupBy: by, allowHourRollups: true });
  const byKey = new Map<string, Counts>();
  for (const r of rows) {
    const key = r.k ?? '';
    let counts = byKey.get(key);
    if (!counts) {
      counts = emptyCounts();
      byKey.set(key, counts);
    }
    addCount(counts, r.type, r.n);
  }
  const all: BreakdownRow[] = [...byKey].map(([key, counts]) => ({
    key,
    counts,
    rates: computeRates(counts),
  }));
  all.sort((a, b) => totalOf(b.counts) - totalOf(a.counts) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { by, rows: all.slice(0, limit), totalRows: all.length };
}
