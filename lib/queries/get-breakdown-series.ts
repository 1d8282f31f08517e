import type { Counts } from '../acct/types.ts';
import type { Filters } from '../filters.ts';
import { type Bucket, bucketStarts, zoneAllowsHourRollups } from './buckets.ts';
import type { CountRow, Dimension } from './count-query.ts';
import { fillBuckets } from './get-timeseries.ts';
import { queryCounts } from './query-counts.ts';

/**
 * The time series of a few keys of one dimension (a breakdown table's sparklines), in one query:
 * the keys become a filter on that dimension, the rows are grouped by key and bucket.
 */
export async function getBreakdownSeries(
  filters: Filters,
  by: Dimension,
  keys: string[],
  bucket: Bucket,
  tz: string,
): Promise<Map<string, { t: string; counts: Counts }[]>> {
  const series = new Map<string, { t: string; counts: Counts }[]>();
  if (keys.length === 0) return series;
  const starts = bucketStarts(filters.from, filters.to, bucket, tz);
  const allowHourRollups = bucket !== 'minute' && zoneAllowsHourRollups(filters.from, filters.to, tz);
  const rows = await queryCounts({
    filters: { ...filters, [by]: keys },
    groupBy: by,
    bucket: { unit: bucket, tz },
    allowHourRollups,
  });
  const byKey = new Map<string, CountRow[]>(keys.map((k) => [k, []]));
  for (const r of rows) byKey.get(r.k ?? '')?.push(r);
  for (const [key, keyRows] of byKey) series.set(key, fillBuckets(starts, keyRows));
  return series;
}

/**
 * A bucket for sparklines: a few dozen points over any range; no minutes before `minuteFrom`, where
 * the minute rollups are no longer kept (MINUTE_ROLLUP_RETENTION_DAYS).
 */
export function sparklineBucket(from: Date, to: Date, minuteFrom = Number.NEGATIVE_INFINITY): Bucket {
  const hours = (to.getTime() - from.getTime()) / 3_600_000;
  if (hours <= 2 && from.getTime() >= minuteFrom) return 'minute';
  if (hours <= 96) return 'hour';
  return 'day';
}
