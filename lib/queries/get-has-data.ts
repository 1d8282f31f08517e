import { getPrisma } from '../db/client.ts';

/** Whether anything was ever ingested (an empty panel then means "no data in range", not "no data"). */
export async function getHasData(): Promise<boolean> {
  const [row] = await getPrisma().$queryRaw<{ any: boolean }[]>`
    SELECT EXISTS (SELECT 1 FROM acct_file WHERE records > 0) AS any`;
  return row.any;
}

/**
 * The start of the first minute holding a record (null before any), from the rollups: the minute
 * rollups, or the hour rollups where those were compacted away (never later than the first record).
 */
export async function getFirstRecordMinute(): Promise<Date | null> {
  const [row] = await getPrisma().$queryRaw<{ first: Date | null }[]>`
    SELECT LEAST((SELECT min(bucket) FROM rollup_minute), (SELECT min(bucket) FROM rollup_hour)) AS first`;
  return row.first;
}
