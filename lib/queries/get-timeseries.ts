import type { Counts } from '../acct/types.ts';
import type { Filters } from '../filters.ts';
import { type Bucket, bucketStarts, zoneAllowsHourRollups } from './buckets.ts';
import type { CountRow } from './count-query.ts';
import { addCount, emptyCounts } from './counts.ts';
import { queryCounts } from './query-counts.ts';

/** Fills every bucket of the range, zeros where nothing happened. */
export function fillBuckets(starts: Date[], rows: Pick<CountRow, 'b' | 'type' | 'n'>[]) {
  const points = starts.map((s) => ({ t: s.toISOString(), counts: emptyCounts() as Counts }));
  const index = new Map(starts.map((s, i) => [s.getTime(), i]));
  for (const r of rows) {
    const i = r.b ? index.get(r.b.getTime()) : undefined;
    if (i === undefined) throw new Error(`bucket ${r.b?.toISOString()} is outside the series`);
    addCount(points[i].counts, r.type, r.n);
  }
  return points;
}

export async function getTimeseries(filters: Filters, bucket: Bucket, tz: string) {
  const starts = bucketStarts(filters.from, filters.to, bucket, tz);
  const allowHourRollups = bucket !== 'minute' && zoneAllowsHourRollups(filters.from, filters.to, tz);
  const rows = await queryCounts({ filters, bucket: { unit: bucket, tz }, allowHourRollups });
  return {
    bucket,
    tz,
    from: filters.from.toISOString(),
    to: filters.to.toISOString(),
    points: fillBuckets(starts, rows),
  };
}
