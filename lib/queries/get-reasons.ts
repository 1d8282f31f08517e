import { type Annotation, annotateDiag } from '../acct/provider-codes.ts';
import { getPrisma } from '../db/client.ts';
import type { Filters } from '../filters.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { getMinuteKeptFrom } from './query-counts.ts';
import { queryInsights } from './query-insights.ts';
import { rawFilterConditions, readRawRows } from './raw-filters.ts';

/** Record types whose diagnostics are grouped into reasons, and their count keys. */
export const REASON_TYPES = ['t', 'tq', 'b', 'rb'] as const;
export type ReasonType = (typeof REASON_TYPES)[number];
const REASON_COUNT_KEYS = { t: 'deferred', tq: 'queueDeferred', b: 'bounced', rb: 'remoteBounced' } as const;

export interface ReasonCounts {
  deferred: number;
  queueDeferred: number;
  bounced: number;
  remoteBounced: number;
}

export interface ReasonRow {
  /** templateKey of the template; '' for records without a diagnostic. */
  key: string;
  template: string;
  /**
   * One full dsnDiag line of the template: the slice's latest (sampleOf 'slice'), or where its raw
   * records are not kept, or sliceSamples does not look it up (past its row and bucket bounds), the
   * first the ingest stored from any sender ('any').
   */
  sample: string;
  sampleOf: 'slice' | 'any';
  /** What a known provider code in the sample means (the slice's provider preferred), else null. */
  annotation: Annotation | null;
  counts: ReasonCounts;
  total: number;
  /** total / the slice's total of all reasons of the requested types. */
  share: number;
  /** Start of the first / last rollup bucket (minute, or hour for whole hours) holding it, ISO. */
  firstSeen: string;
  lastSeen: string;
  /** The providers with most of its records, largest first (at most 3). */
  topProviders: { provider: string; n: number }[];
}

export interface ReasonsResult {
  /** Records of the requested types in the slice (every one has a reason, '' included). */
  total: number;
  /** Reasons in the slice, before `limit` (the rows are the largest of them). */
  totalRows: number;
  /** Whether first and last seen are hour starts (seenToTheHour). */
  seenToTheHour: boolean;
  rows: ReasonRow[];
}

const emptyReasonCounts = (): ReasonCounts => ({
  deferred: 0,
  queueDeferred: 0,
  bounced: 0,
  remoteBounced: 0,
});

/**
 * Whether first and last seen are hour starts: on ranges over a day the whole hours are read from
 * the hour rollups (the minute rollups of a long range cost too much), and on ranges reaching
 * before where the minute rollups are kept (`minuteFrom`, MINUTE_ROLLUP_RETENTION_DAYS), so a
 * reason's first and last seen are the hours holding them, except in the range's edge minutes; up
 * to a day, minutes.
 */
export function seenToTheHour(filters: Filters, minuteFrom = Number.NEGATIVE_INFINITY): boolean {
  return filters.to.getTime() - filters.from.getTime() > 86_400_000 || filters.from.getTime() < minuteFrom;
}

/**
 * Why mail is deferred and bounced: the diagnostic templates of t/tq/b/rb records in a slice,
 * largest first, from the insight rollups (minute-aligned ranges; provider, domain, VirtualMTA and
 * pool filters). Counts per record type add up to the slice's record counts: a record without a
 * diagnostic counts under key ''. `tq` rows (no recipient) are counted per queue, under the
 * domain and VirtualMTA of their queue.
 */
export async function getReasons(
  filters: Filters,
  opts: { types?: readonly ReasonType[]; limit: number },
): Promise<ReasonsResult> {
  const types = opts.types?.length ? opts.types : REASON_TYPES;
  const minuteFrom = await getMinuteKeptFrom();
  const hourly = seenToTheHour(filters, minuteFrom);
  const rows = await queryInsights(
    filters,
    { kind: 'reason', types, groupBy: 'provider', allowHourRollups: hourly },
    { minuteFrom },
  );
  type Acc = {
    counts: ReasonCounts;
    total: number;
    first: number;
    last: number;
    providers: Map<string, number>;
  };
  const byKey = new Map<string, Acc>();
  let total = 0;
  for (const r of rows) {
    let acc = byKey.get(r.value);
    if (!acc) {
      acc = { counts: emptyReasonCounts(), total: 0, first: Infinity, last: -Infinity, providers: new Map() };
      byKey.set(r.value, acc);
    }
    const n = Number(r.n);
    acc.counts[REASON_COUNT_KEYS[r.type as ReasonType]] += n;
    acc.total += n;
    acc.first = Math.min(acc.first, r.first.getTime());
    acc.last = Math.max(acc.last, r.last.getTime());
    const provider = r.k ?? '';
    acc.providers.set(provider, (acc.providers.get(provider) ?? 0) + n);
    total += n;
  }
  const top = [...byKey]
    .sort(([ka, a], [kb, b]) => b.total - a.total || (ka < kb ? -1 : ka > kb ? 1 : 0))
    .slice(0, opts.limit);
  const keys = top.map(([key]) => key).filter((k) => k !== '');
  const [templates, own] = await Promise.all([
    keys.length
      ? getPrisma().$queryRaw<{ key: string; template: string; sample: string }[]>(
          Prisma.sql`SELECT key, template, sample FROM diag_template WHERE key = ANY(${keys}::text[])`,
        )
      : [],
    sliceSamples(
      filters,
      types,
      top.map(([key, acc]) => ({ key, last: acc.last })),
      hourly ? 3_600_000 : 60_000,
    ),
  ]);
  const byTemplate = new Map(templates.map((t) => [t.key, t]));
  const sliceProvider = filters.provider.length === 1 ? filters.provider[0] : undefined;
  return {
    total,
    totalRows: byKey.size,
    seenToTheHour: hourly,
    rows: top.map(([key, acc]) => {
      const t = byTemplate.get(key);
      const sample = own.get(key) ?? t?.sample ?? '';
      return {
        key,
        template: t?.template ?? '',
        sample,
        sampleOf: own.has(key) ? ('slice' as const) : ('any' as const),
        annotation: sample ? annotateDiag(sample, sliceProvider) : null,
        counts: acc.counts,
        total: acc.total,
        share: total === 0 ? 0 : acc.total / total,
        firstSeen: new Date(acc.first).toISOString(),
        lastSeen: new Date(acc.last).toISOString(),
        topProviders: [...acc.providers]
          .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
          .slice(0, 3)
          .map(([provider, n]) => ({ provider, n })),
      };
    }),
  };
}

/** Rows of a reasons list whose sample is looked up among the slice's own records. */
const SLICE_SAMPLES = 100;
/**
 * Buckets read for them, the first rows' first: each is a scan of a bucket's records (an hour of a
 * provider on a 3-day range cost ~10 ms at 1M records a day), and rare templates end in buckets of
 * their own. A row last seen in another bucket keeps the stored sample.
 */
const SAMPLE_BUCKETS = 8;

/**
 * The latest diagnostic line of each template among the slice's own raw records of `types`: the
 * template's stored sample is its first line from any sender, and Gmail's 4.7.28 or Yahoo's TSS04
 * lines name the sending IP, so a VirtualMTA's reasons quoted another VirtualMTA's IP (QA). Each
 * template is looked up only in the rollup bucket where the rollups last saw it in the slice
 * ([last, last + bucketMs) within the range: a minute, or an hour on ranges over a day), the
 * templates last seen in the same bucket in one scan of it (most end in the range's last bucket):
 * each bucket's records are read once, at most SAMPLE_BUCKETS buckets. Templates left out of those,
 * or whose raw records are no longer kept, are left out of the map.
 */
async function sliceSamples(
  filters: Filters,
  types: readonly string[],
  rows: { key: string; last: number }[],
  bucketMs: number,
): Promise<Map<string, string>> {
  const byBucket = new Map<number, string[]>();
  for (const r of rows.filter((r) => r.key !== '').slice(0, SLICE_SAMPLES)) {
    const keys = byBucket.get(r.last);
    if (keys) keys.push(r.key);
    else if (byBucket.size < SAMPLE_BUCKETS) byBucket.set(r.last, [r.key]);
  }
  if (byBucket.size === 0) return new Map();
  const from = filters.from.getTime();
  const to = filters.to.getTime();
  const found = await readRawRows(filters, async (db) => {
    const where = await rawFilterConditions(filters, db);
    where.push(Prisma.sql`r.type = ANY(${[...types]}::text[])`);
    const scans = [...byBucket].map(
      ([last, keys]) => Prisma.sql`(SELECT DISTINCT ON (r.diag_key) r.diag_key AS key, r.dsn_diag AS sample
         FROM acct_record r
        WHERE ${Prisma.join(where, ' AND ')} AND r.diag_key = ANY(${keys}::text[])
          AND r.time_logged >= ${new Date(Math.max(from, last))}
          AND r.time_logged < ${new Date(Math.min(to, last + bucketMs))}
        ORDER BY r.diag_key, r.time_logged DESC)`,
    );
    return db.$queryRaw<{ key: string; sample: string | null }[]>(Prisma.join(scans, ' UNION ALL '));
  });
  return new Map(found.flatMap((r) => (r.sample === null ? [] : [[r.key, r.sample] as const])));
}
