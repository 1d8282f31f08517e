import { getPrisma } from '../db/client.ts';
import type { Filters } from '../filters.ts';
import { buildCountQuery, type CountRow } from './count-query.ts';
import { addCount, computeRates, emptyCounts } from './counts.ts';

export async function getSummary(filters: Filters) {
  const rows = await getPrisma().$queryRaw<CountRow[]>(buildCountQuery({ filters, allowHourRollups: true }));
  const counts = emptyCounts();
  for (const r of rows) addCount(counts, r.type, r.n);
  return {
    from: filters.from.toISOString(),
    to: filters.to.toISOString(),
    counts,
    rates: computeRates(counts),
  };
}
