import { getPrisma } from '../db/client.ts';

/** Whether anything was ever ingested (an empty panel then means "no data in range", not "no data"). */
export async function getHasData(): Promise<boolean> {
  const [row] = await getPrisma().$queryRaw<{ any: boolean }[]>`
    SELECT EXISTS (SELECT 1 FROM acct_file WHERE records > 0) AS any`;
  return row.any;
}

/**
 * The start of the first minute holding a record (null before any), from the rollups: the minute
 * rollups' first minute when they still hold the first hour's, else the hour rollups' first hour,
 * where the minutes were deleted (MINUTE_ROLLUP_RETENTION_DAYS): never later than the first record.
 * The least of the two was always that hour: records beginning at 10:41 were said to start at
 * 10:00, and a previous period from 10:30 was compared with as if whole (QA).
 */
export async function getFirstRecordMinute(): Promise<Date | null> {
  const [row] = await getPrisma().$queryRaw<{ first: Date | null }[]>`
    SELECT CASE WHEN h IS NULL OR m < h + interval '1 hour' THEN m ELSE h END AS first
      FROM (SELECT (SELECT min(bucket) FROM rollup_minute) AS m, (SELECT min(bucket) FROM rollup_hour) AS h) b`;
  return row.first;
}
