import type { Counts } from '../acct/types.ts';
import { DEFAULT_MIN_DELIVERED } from '../complaint-limits.ts';
import type { Filters } from '../filters.ts';
import type { Dimension } from './count-query.ts';
import { addCount, emptyCounts } from './counts.ts';
import { queryCounts } from './query-counts.ts';

/**
 * The rate a sending key × provider grid shows, as the incidents judge it (README, Incidents):
 * deferrals among the attempts, bounces among the final outcomes, complaints per delivery.
 */
export const MATRIX_METRICS = ['deferral', 'bounce', 'complaint'] as const;
export type MatrixMetric = (typeof MATRIX_METRICS)[number];

export interface MetricSpec {
  /** "deferral rate". */
  label: string;
  /** What it is a share of, in words: "deferred of delivered + bounced + deferred". */
  definition: string;
  /** The records the rate counts (its numerator), by accounting type. */
  eventTypes: readonly string[];
  /** The records it is a share of (its denominator). */
  baseTypes: readonly string[];
  /** Events and base of counts. */
  events: (c: Counts) => number;
  base: (c: Counts) => number;
  /**
   * How far over its provider's rate (over every key) a cell is marked high: by this many
   * points, and at least 1.5 times it; notable from half the points and 1.25 times.
   */
  points: number;
  /** Below this base a cell's rate is shown but not marked (a few records make any rate). */
  minBase: number;
}

export const METRIC_SPECS: Record<MatrixMetric, MetricSpec> = {
  deferral: {
    label: 'deferral rate',
    definition: 'deferred of delivered + bounced + deferred',
    eventTypes: ['t'],
    baseTypes: ['d', 'b', 't'],
    events: (c) => c.deferred,
    base: (c) => c.delivered + c.bounced + c.deferred,
    points: 0.05,
    minBase: 100,
  },
  bounce: {
    label: 'bounce rate',
    definition: 'bounced of delivered + bounced',
    eventTypes: ['b'],
    baseTypes: ['d', 'b'],
    events: (c) => c.bounced,
    base: (c) => c.delivered + c.bounced,
    points: 0.02,
    minBase: 100,
  },
  complaint: {
    label: 'complaint rate',
    definition: 'complaints per delivered',
    eventTypes: ['f'],
    baseTypes: ['d'],
    events: (c) => c.complaints,
    base: (c) => c.delivered,
    // The gap between the mailbox providers' two published limits (0.1 % and 0.3 %).
    points: 0.002,
    minBase: DEFAULT_MIN_DELIVERED,
  },
};

export type CellMark = 'high' | 'notable' | 'low-volume';

/**
 * Whether a key does worse with a provider than the provider does over every key (its column):
 * the grid is read for the outlier, "pool-b at Yahoo", and a provider's usual rate (Microsoft
 * defers more than Google) is not one. Under the metric's minimum base a rate is noise.
 */
export function markCell(metric: MatrixMetric, cell: Counts, column: Counts): CellMark | null {
  const spec = METRIC_SPECS[metric];
  const base = spec.base(cell);
  if (base === 0) return null;
  if (base < spec.minBase) return 'low-volume';
  const rate = spec.events(cell) / base;
  const columnBase = spec.base(column);
  const usual = columnBase === 0 ? 0 : spec.events(column) / columnBase;
  // (A hair under the points still counts: 0.25 % − 0.05 % is 0.19999… points in floating point.)
  const over = (points: number, times: number) => rate - usual >= points - 1e-12 && rate >= usual * times;
  return over(spec.points, 1.5) ? 'high' : over(spec.points / 2, 1.25) ? 'notable' : null;
}

export interface MatrixLine {
  key: string;
  /** The key's counts over every column, those not shown included. */
  counts: Counts;
}

export interface Matrix {
  rows: (MatrixLine & { cells: Map<string, Counts> })[];
  columns: MatrixLine[];
  /** Keys with attempts left out, beyond the limits. */
  moreRows: number;
  moreColumns: number;
}

const attempts = (c: Counts) => c.delivered + c.bounced + c.deferred;
const byAttempts = (a: MatrixLine, b: MatrixLine) =>
  attempts(b.counts) - attempts(a.counts) ||
  b.counts.complaints - a.counts.complaints ||
  (a.key < b.key ? -1 : 1);
/** A line with something to rate: an attempt or a complaint. */
const rated = (c: Counts) => attempts(c) + c.complaints > 0;

/** Counts per key of one dimension and, within each, per key of another. */
export interface PairCounts {
  rows: Map<string, MatrixLine & { cells: Map<string, Counts> }>;
  columns: Map<string, MatrixLine>;
}

/**
 * Counts per (row key, column key), e.g. per pool and provider: one read of the star rollups
 * grouped by both (complaints reach a pool or VirtualMTA through their sending IP, as in every
 * count). A row's and a column's counts are the sums of their cells, so they add up exactly.
 */
export async function getPairCounts(
  filters: Filters,
  rowsBy: Dimension,
  columnsBy: Dimension,
): Promise<PairCounts> {
  const counted = await queryCounts({ filters, groupBy: rowsBy, thenBy: columnsBy, allowHourRollups: true });
  const rows: PairCounts['rows'] = new Map();
  const columns: PairCounts['columns'] = new Map();
  for (const r of counted) {
    const rowKey = r.k ?? '';
    const columnKey = r.k2 ?? '';
    let row = rows.get(rowKey);
    if (!row) {
      row = { key: rowKey, counts: emptyCounts(), cells: new Map() };
      rows.set(rowKey, row);
    }
    let cell = row.cells.get(columnKey);
    if (!cell) {
      cell = emptyCounts();
      row.cells.set(columnKey, cell);
    }
    let column = columns.get(columnKey);
    if (!column) {
      column = { key: columnKey, counts: emptyCounts() };
      columns.set(columnKey, column);
    }
    addCount(row.counts, r.type, r.n);
    addCount(cell, r.type, r.n);
    addCount(column.counts, r.type, r.n);
  }
  return { rows, columns };
}

/**
 * A grid of getPairCounts: rows and columns are the keys with attempts or complaints, most
 * attempts first; the first `maxRows` and `maxColumns` are kept, with each row's and column's
 * counts over all of them.
 */
export async function getMatrix(
  filters: Filters,
  rowsBy: Dimension,
  columnsBy: Dimension,
  { maxRows = 50, maxColumns = 8 }: { maxRows?: number; maxColumns?: number } = {},
): Promise<Matrix> {
  const { rows, columns } = await getPairCounts(filters, rowsBy, columnsBy);
  const allRows = [...rows.values()].filter((r) => rated(r.counts)).sort(byAttempts);
  const allColumns = [...columns.values()].filter((c) => rated(c.counts)).sort(byAttempts);
  return {
    rows: allRows.slice(0, maxRows),
    columns: allColumns.slice(0, maxColumns),
    moreRows: Math.max(0, allRows.length - maxRows),
    moreColumns: Math.max(0, allColumns.length - maxColumns),
  };
}
