import { bounceClass, hardBounceCategories } from '../acct/bounce-class.ts';
import type { Filters } from '../filters.ts';
import { type Bucket, bucketStarts, zoneAllowsHourRollups } from './buckets.ts';
import type { Dimension } from './count-query.ts';
import { getBreakdown } from './get-breakdown.ts';
import { queryCounts } from './query-counts.ts';

/** Bounce counts split the way deliverability teams read them; rb is never mixed into b. */
export interface BounceSplit {
  /** `b` in a hard category (address or domain does not exist). */
  hard: number;
  /** Every other `b`, message-expired included. */
  soft: number;
  /** `b` with category message-expired: gave up after the queue's lifetime (also in soft). */
  expired: number;
  /** `rb`: accepted, then bounced by the remote. */
  remote: number;
}

export const EXPIRED = 'message-expired';
const empty = (): BounceSplit => ({ hard: 0, soft: 0, expired: 0, remote: 0 });

function add(split: BounceSplit, type: string, category: string, n: number) {
  if (type === 'rb') split.remote += n;
  if (type !== 'b') return;
  if (bounceClass(category) === 'hard') split.hard += n;
  else split.soft += n;
  if (category === EXPIRED) split.expired += n;
}

/**
 * Bounces of a slice: totals, per time bucket and per bounce category, each category classed hard
 * or soft by the configured mapping (lib/acct/bounce-class.ts). Read from the rollups, where the
 * bounce category is a dimension.
 */
export async function getBounces(filters: Filters, bucket: Bucket, tz: string) {
  const starts = bucketStarts(filters.from, filters.to, bucket, tz);
  const allowHourRollups = bucket !== 'minute' && zoneAllowsHourRollups(filters.from, filters.to, tz);
  const rows = await queryCounts({
    filters,
    groupBy: 'bounceCategory',
    bucket: { unit: bucket, tz },
    allowHourRollups,
  });
  const totals = empty();
  const points = starts.map((s) => ({ t: s.toISOString(), ...empty() }));
  const index = new Map(starts.map((s, i) => [s.getTime(), i]));
  const categories = new Map<string, { bounced: number; remoteBounced: number }>();
  for (const r of rows) {
    if (r.type !== 'b' && r.type !== 'rb') continue;
    const n = Number(r.n);
    const category = r.k ?? '';
    add(totals, r.type, category, n);
    const i = r.b ? index.get(r.b.getTime()) : undefined;
    if (i === undefined) throw new Error(`bucket ${r.b?.toISOString()} is outside the series`);
    add(points[i], r.type, category, n);
    const c = categories.get(category) ?? { bounced: 0, remoteBounced: 0 };
    if (r.type === 'b') c.bounced += n;
    else c.remoteBounced += n;
    categories.set(category, c);
  }
  return {
    from: filters.from.toISOString(),
    to: filters.to.toISOString(),
    bucket,
    tz,
    totals,
    points,
    categories: [...categories]
      .map(([category, c]) => ({ category, class: bounceClass(category), ...c }))
      .sort(
        (a, b) =>
          b.bounced + b.remoteBounced - (a.bounced + a.remoteBounced) || (a.category < b.category ? -1 : 1),
      ),
  };
}

/** The slice's bounce categories narrowed to `wanted` (null: nothing of them is in the slice). */
function narrowCategories(filters: Filters, wanted: string[]): Filters | null {
  const chosen = filters.bounceCategory.length
    ? filters.bounceCategory.filter((c) => wanted.includes(c))
    : wanted;
  return chosen.length ? { ...filters, bounceCategory: chosen } : null;
}

/**
 * Local bounces per key of `by` in the hard categories and in message-expired (each within the
 * slice's own category filter), in one read grouped by category as well: the two parts were two
 * reads of the same star rows.
 */
async function hardAndExpiredBy(filters: Filters, by: Dimension) {
  const hard = new Map<string, number>();
  const expired = new Map<string, number>();
  const hardCategories = narrowCategories(filters, hardBounceCategories())?.bounceCategory ?? [];
  const expiredCategories = narrowCategories(filters, [EXPIRED])?.bounceCategory ?? [];
  const wanted = [...new Set([...hardCategories, ...expiredCategories])];
  if (wanted.length === 0) return { hard, expired };
  const rows = await queryCounts({
    filters: { ...filters, bounceCategory: wanted },
    groupBy: by,
    thenBy: 'bounceCategory',
    allowHourRollups: true,
  });
  const add = (map: Map<string, number>, key: string, n: number) => map.set(key, (map.get(key) ?? 0) + n);
  for (const r of rows) {
    if (r.type !== 'b') continue;
    const key = r.k ?? '';
    if (hardCategories.includes(r.k2 ?? '')) add(hard, key, Number(r.n));
    if (expiredCategories.includes(r.k2 ?? '')) add(expired, key, Number(r.n));
  }
  return { hard, expired };
}

/**
 * Hard, soft, expired and remote bounces per key of a dimension, with delivered for the rates.
 * The hard and expired parts are the same counts with the bounce-category filter narrowed (one
 * read, by category too), so every figure is a rollup sum the records explorer can list.
 */
export async function getBounceBreakdown(filters: Filters, by: Dimension, limit: number) {
  const [all, { hard, expired }] = await Promise.all([
    getBreakdown(filters, by, Number.MAX_SAFE_INTEGER),
    hardAndExpiredBy(filters, by),
  ]);
  const rows = all.rows
    .filter((r) => r.counts.bounced + r.counts.remoteBounced > 0)
    .map((r) => {
      const h = hard.get(r.key) ?? 0;
      return {
        key: r.key,
        delivered: r.counts.delivered,
        bounced: r.counts.bounced,
        hard: h,
        soft: r.counts.bounced - h,
        expired: expired.get(r.key) ?? 0,
        remote: r.counts.remoteBounced,
        bounceRate: r.rates.bounce,
        hardRate:
          r.counts.delivered + r.counts.bounced === 0 ? null : h / (r.counts.delivered + r.counts.bounced),
      };
    })
    .sort((a, b) => b.bounced + b.remote - (a.bounced + a.remote) || (a.key < b.key ? -1 : 1));
  return { by, rows: rows.slice(0, limit), totalRows: rows.length };
}
