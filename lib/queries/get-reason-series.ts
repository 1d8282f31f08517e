import { type Filters, ParamError } from '../filters.ts';
import { type Bucket, bucketStarts, zoneAllowsHourRollups } from './buckets.ts';
import { REASON_TYPES, type ReasonType } from './get-reasons.ts';
import { queryInsights } from './query-insights.ts';

export interface ReasonPoint {
  /** Bucket start, ISO. */
  t: string;
  n: number;
}

const MAX_KEYS = 100;

/**
 * The trend of some reasons (template keys, '' = no diagnostic): records per time bucket in zone
 * `tz`, every bucket of the range present (zeros where none), one series per requested key.
 */
export async function getReasonSeries(
  filters: Filters,
  keys: readonly string[],
  bucket: Bucket,
  tz: string,
  types: readonly ReasonType[] = REASON_TYPES,
): Promise<Map<string, ReasonPoint[]>> {
  if (keys.length > MAX_KEYS) throw new ParamError(`at most ${MAX_KEYS} reasons at once`, 'template');
  const starts = bucketStarts(filters.from, filters.to, bucket, tz);
  const index = new Map(starts.map((s, i) => [s.getTime(), i]));
  const out = new Map<string, ReasonPoint[]>();
  for (const key of keys)
    out.set(
      key,
      starts.map((s) => ({ t: s.toISOString(), n: 0 })),
    );
  if (keys.length === 0) return out;
  const allowHourRollups = bucket !== 'minute' && zoneAllowsHourRollups(filters.from, filters.to, tz);
  const rows = await queryInsights(filters, {
    kind: 'reason',
    types: types.length ? types : REASON_TYPES,
    values: keys,
    bucket: { unit: bucket, tz },
    allowHourRollups,
  });
  for (const r of rows) {
    const i = r.b ? index.get(r.b.getTime()) : undefined;
    if (i === undefined) throw new Error(`bucket ${r.b?.toISOString()} is outside the series`);
    const series = out.get(r.value);
    if (series) series[i].n += Number(r.n);
  }
  return out;
}
