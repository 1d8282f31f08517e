import type { Filters } from '../filters.ts';
import { addCount, computeRates, emptyCounts } from './counts.ts';
import { queryCounts } from './query-counts.ts';

export async function getSummary(filters: Filters) {
  const rows = await queryCounts({ filters, allowHourRollups: true });
  const counts = emptyCounts();
  for (const r of rows) addCount(counts, r.type, r.n);
  return {
    from: filters.from.toISOString(),
    to: filters.to.toISOString(),
    counts,
    rates: computeRates(counts),
  };
}
