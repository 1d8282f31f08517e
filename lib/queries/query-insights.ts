import { getPrisma } from '../db/client.ts';
import type { Filters } from '../filters.ts';
import { buildInsightQuery, type InsightQuery, type InsightRow } from './insight-query.ts';
import { bucketMinutesOnly, checkMinuteReads, type MinutesOnly } from './minute-reads.ts';
import { getMinuteKeptFrom } from './query-counts.ts';

/**
 * Runs an insight query (buildInsightQuery). Its minutes come from the minute insight rollups
 * only (no raw edge: see insight-query.ts), so one that would read a minute where they are no
 * longer kept is refused (checkMinuteReads). `minuteFrom`: where they are kept from, when the
 * caller read it already; `minutesOnly`: why a read without buckets takes minutes only.
 */
export async function queryInsights(
  filters: Filters,
  q: InsightQuery,
  opts: { minuteFrom?: number; minutesOnly?: MinutesOnly } = {},
): Promise<InsightRow[]> {
  const sql = buildInsightQuery(filters, q);
  checkMinuteReads({
    from: filters.from,
    to: filters.to,
    allowHour: q.allowHourRollups,
    minuteFrom: opts.minuteFrom ?? (await getMinuteKeptFrom()),
    minutesOnly: q.bucket ? bucketMinutesOnly(q.bucket.unit, q.bucket.tz) : opts.minutesOnly,
  });
  return getPrisma().$queryRaw<InsightRow[]>(sql);
}
