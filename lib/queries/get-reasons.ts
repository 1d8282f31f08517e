import { type Annotation, annotateDiag } from '../acct/provider-codes.ts';
import { getPrisma } from '../db/client.ts';
import type { Filters } from '../filters.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { buildInsightQuery, type InsightRow } from './insight-query.ts';

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
  /** One full dsnDiag line of the template (the first the ingest stored). */
  sample: string;
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
 * the hour rollups (the minute rollups of a long range cost too much), so a reason's first and last
 * seen are the hours holding them, except in the range's edge minutes; up to a day, minutes.
 */
export function seenToTheHour(filters: Filters): boolean {
  return filters.to.getTime() - filters.from.getTime() > 86_400_000;
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
  const rows = await getPrisma().$queryRaw<InsightRow[]>(
    buildInsightQuery(filters, {
      kind: 'reason',
      types,
      groupBy: 'provider',
      allowHourRollups: seenToTheHour(filters),
    }),
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
  const templates = keys.length
    ? await getPrisma().$queryRaw<{ key: string; template: string; sample: string }[]>(
        Prisma.sql`SELECT key, template, sample FROM diag_template WHERE key = ANY(${keys}::text[])`,
      )
    : [];
  const byTemplate = new Map(templates.map((t) => [t.key, t]));
  const sliceProvider = filters.provider.length === 1 ? filters.provider[0] : undefined;
  return {
    total,
    rows: top.map(([key, acc]) => {
      const t = byTemplate.get(key);
      const sample = t?.sample ?? '';
      return {
        key,
        template: t?.template ?? '',
        sample,
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
