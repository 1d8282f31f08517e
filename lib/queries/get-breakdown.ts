import type { Counts } from '../acct/types.ts';
import type { Filters } from '../filters.ts';
import type { Dimension } from './count-query.ts';
import { addCount, computeRates, emptyCounts, totalOf } from './counts.ts';
import { getPairCounts } from './get-matrix.ts';
import { queryCounts } from './query-counts.ts';

export interface BreakdownRow {
  key: string;
  counts: Counts;
  rates: ReturnType<typeof computeRates>;
}

/** Keys in ascending order: the last tie-break of every ranking here (a stable order). */
const keyOrder = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** Counts per value of one dimension, largest (all record types together) first. */
export async function getBreakdown(filters: Filters, by: Dimension, limit: number) {
  const rows = await queryCounts({ filters, groupBy: by, allowHourRollups: true });
  const byKey = new Map<string, Counts>();
  for (const r of rows) {
    const key = r.k ?? '';
    let counts = byKey.get(key);
    if (!counts) {
      counts = emptyCounts();
      byKey.set(key, counts);
    }
    addCount(counts, r.type, r.n);
  }
  const all: BreakdownRow[] = [...byKey].map(([key, counts]) => ({
    key,
    counts,
    rates: computeRates(counts),
  }));
  all.sort(byTotal);
  return { by, rows: all.slice(0, limit), totalRows: all.length };
}

/** A breakdown row with its counts per key of a second dimension (`thenBy`). */
export interface BreakdownThenRow extends BreakdownRow {
  parts: BreakdownRow[];
}

const byTotal = (a: BreakdownRow, b: BreakdownRow) => totalOf(b.counts) - totalOf(a.counts) || keyOrder(a, b);

/**
 * getBreakdown with each row broken down again by `thenBy` (the pools of each provider…), largest
 * first at both levels. One read grouped by both; a row's counts are the sum of its parts,
 * so they add up exactly (and equal getBreakdown's, read from other rollups: tested).
 */
export async function getBreakdownThen(filters: Filters, by: Dimension, thenBy: Dimension) {
  const { rows } = await getPairCounts(filters, by, thenBy);
  const all: BreakdownThenRow[] = [...rows.values()].map((r) => ({
    key: r.key,
    counts: r.counts,
    rates: computeRates(r.counts),
    parts: [...r.cells].map(([key, counts]) => ({ key, counts, rates: computeRates(counts) })).sort(byTotal),
  }));
  return all.sort(byTotal);
}

/**
 * The first `limit` rows for a "top N" table of deliveries, bounces and their rates: the most
 * delivery outcomes (delivered + bounced, the bounce rate's denominator) first, then the most
 * records of any type, then by key. Ranked by all records together, the overview's VirtualMTA
 * table opened with keys that only received mail (then pools logged as the VirtualMTA of `r`
 * records; since sendingVmta, "(none)"): rows of zeros above the VirtualMTAs that delivered most.
 */
export function topByOutcomes<T extends BreakdownRow>(rows: readonly T[], limit: number): T[] {
  const outcomes = (r: T) => r.counts.delivered + r.counts.bounced;
  return [...rows]
    .sort((a, b) => outcomes(b) - outcomes(a) || totalOf(b.counts) - totalOf(a.counts) || keyOrder(a, b))
    .slice(0, limit);
}
