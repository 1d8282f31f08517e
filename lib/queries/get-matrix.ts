import type { Counts } from '../acct/types.ts';
import { COMPLAINT_LIMIT_RATES, DEFAULT_MIN_DELIVERED } from '../complaint-limits.ts';
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
  /** Rates from which a cell is marked: [notable, high]. */
  marks: readonly [number, number];
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
    // The incidents open a deferral incident from 10 %.
    marks: [0.05, 0.1],
    minBase: 100,
  },
  bounce: {
    label: 'bounce rate',
    definition: 'bounced of delivered + bounced',
    eventTypes: ['b'],
    baseTypes: ['d', 'b'],
    events: (c) => c.bounced,
    base: (c) => c.delivered + c.bounced,
    // A bounce incident opens from 5 %.
    marks: [0.02, 0.05],
    minBase: 100,
  },
  complaint: {
    label: 'complaint rate',
    definition: 'complaints per delivered',
    eventTypes: ['f'],
    baseTypes: ['d'],
    events: (c) => c.complaints,
    base: (c) => c.delivered,
    // The mailbox providers' published limits (Gmail and Yahoo: 0.1 % and 0.3 %).
    marks: [COMPLAINT_LIMIT_RATES[0], COMPLAINT_LIMIT_RATES[1]],
    minBase: DEFAULT_MIN_DELIVERED,
  },
};

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

/**
 * Counts per (row key, column key), e.g. per pool and provider: one read of the star rollups
 * grouped by both (complaints reach a pool or VirtualMTA through their sending IP, as in every
 * count). Rows and columns are the keys with attempts or complaints, most attempts first; the
 * first `maxRows` and `maxColumns` are kept, with each row's and column's counts over all of them.
 */
export async function getMatrix(
  filters: Filters,
  rowsBy: Dimension,
  columnsBy: Dimension,
  { maxRows = 50, maxColumns = 8 }: { maxRows?: number; maxColumns?: number } = {},
): Promise<Matrix> {
  const counted = await queryCounts({ filters, groupBy: rowsBy, thenBy: columnsBy, allowHourRollups: true });
  const rows = new Map<string, MatrixLine & { cells: Map<string, Counts> }>();
  const columns = new Map<string, MatrixLine>();
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
  const allRows = [...rows.values()].filter((r) => rated(r.counts)).sort(byAttempts);
  const allColumns = [...columns.values()].filter((c) => rated(c.counts)).sort(byAttempts);
  return {
    rows: allRows.slice(0, maxRows),
    columns: allColumns.slice(0, maxColumns),
    moreRows: Math.max(0, allRows.length - maxRows),
    moreColumns: Math.max(0, allColumns.length - maxColumns),
  };
}
