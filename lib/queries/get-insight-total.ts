import type { Filters } from '../filters.ts';
import { checkInsightFilters, type InsightKind } from './insight-query.ts';
import { queryInsights } from './query-insights.ts';

export interface InsightTotalQuery {
  kind: InsightKind;
  /** The record types the list selects; those outside the kind's have no entry (and no record). */
  types: readonly string[];
  /** The reason's template key or the DSN code. */
  value?: string;
  /** Latency: only these histogram buckets (indexes, lib/acct/latency.ts). */
  buckets?: readonly number[];
  /** A `tq` queue: only its entries (a queue is carried by tq entries only). */
  queue?: string;
}

/**
 * How many records a reason, DSN code, queue or latency buckets select in the slice, from the
 * insight rollups: the numbers the reasons, bounces and latency screens link from. null when the
 * rollups cannot say it exactly (a filter they do not carry, a bound off the minute): the caller
 * then gives no total.
 */
export async function getInsightTotal(filters: Filters, q: InsightTotalQuery): Promise<number | null> {
  try {
    checkInsightFilters(filters);
  } catch {
    return null;
  }
  if (q.types.length === 0) return 0;
  const rows = await queryInsights(filters, {
    kind: q.kind,
    types: q.types,
    values: q.value !== undefined ? [q.value] : q.buckets?.map(String),
    groupBy: q.queue === undefined ? undefined : 'queue',
    allowHourRollups: true,
  });
  let total = 0;
  for (const r of rows) if (q.queue === undefined || r.k === q.queue) total += Number(r.n);
  return total;
}
