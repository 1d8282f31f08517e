import { DSN_RECORD_TYPES } from '../acct/dsn-code.ts';
import { bucketsAbove } from '../acct/latency.ts';
import { COUNT_KEYS, type RecordType } from '../acct/types.ts';
import { getInsightTotal } from './get-insight-total.ts';
import { REASON_TYPES } from './get-reasons.ts';
import { countRecords, type RecordQuery } from './get-records.ts';
import { getSummary } from './get-summary.ts';
import { MinutesNotKeptError } from './minute-reads.ts';
import { getRawKeptFrom } from './query-counts.ts';

/**
 * How many records the query selects in all, when the stats can count them: types and dimension
 * filters from the count rollups, a reason (template), DSN code, tq queue or timed deliveries
 * (latency) from the insight rollups (the same numbers as every count that links here). A reason,
 * DSN code or latency filter of a slice the insight rollups do not carry (a sending IP, a job, a
 * bounce category, a source host, a bound off the minute), which the detail pages count from the
 * raw rows, is counted from the raw rows too
 * while they are all kept: those pages' links opened a list without its total (QA). null when it
 * also matches text (recipient, diagnostic, search), which only the pages themselves can tell.
 * `filters`: the query's, or another window of them (the part of the range whose raw rows are kept).
 */
export async function getRecordsTotal(query: RecordQuery, filters = query.filters): Promise<number | null> {
  const total = await rollupTotal(query, filters).catch((error: unknown) => {
    // Minutes whose rollups are no longer kept (MINUTE_ROLLUP_RETENTION_DAYS): counted from the
    // raw rows below while those are kept, else the list has no total.
    if (error instanceof MinutesNotKeptError) return undefined;
    throw error;
  });
  if (total !== undefined) return total;
  if (filters.from.getTime() < (await getRawKeptFrom())) return null;
  return countRecords({ ...query, filters });
}

/** getRecordsTotal from the rollups; undefined when they do not hold the slice, null when never. */
async function rollupTotal(
  query: RecordQuery,
  filters: RecordQuery['filters'],
): Promise<number | null | undefined> {
  // Whether a record is a (first) suppression event is read from the raw rows, never rolled up.
  // One mailbox's events (a suppression entry's link) are few, found through the suppression
  // indexes: counted too, so its Events figure shows as the total, however many pages it takes.
  const mailbox = query.rcpt !== undefined && query.rcpt.trim().lastIndexOf('@') > 0;
  if (query.suppression && (query.rcpt === undefined || mailbox) && !query.q && query.diag === undefined) {
    return undefined;
  }
  if (query.rcpt || query.q || query.diag !== undefined) return null;
  // The rollups do not know files: a file's records are counted from the raw rows.
  if (query.fileId !== undefined) return undefined;
  const types = query.types.length > 0 ? query.types : (Object.keys(COUNT_KEYS) as RecordType[]);
  if (query.dsnCode !== undefined) {
    // Other types carry a DSN status too (a delivery's 2.0.0) but have no code entries.
    if (query.template !== undefined || query.queue) return null;
    if (types.some((t) => !(DSN_RECORD_TYPES as readonly string[]).includes(t))) return null;
    return (await getInsightTotal(filters, { kind: 'dsn', types, value: query.dsnCode })) ?? undefined;
  }
  if (query.template !== undefined || query.queue) {
    // Only tq entries carry their queue; a record of another type has no reason (diag_key is null).
    if (query.queue && !(types.length === 1 && types[0] === 'tq')) return null;
    const reasonTypes = types.filter((t) => (REASON_TYPES as readonly string[]).includes(t));
    const total = await getInsightTotal(filters, {
      kind: 'reason',
      types: reasonTypes,
      value: query.template,
      queue: query.queue,
    });
    return total ?? undefined;
  }
  if (query.latency) {
    // Timed deliveries are counted by the latency histograms, as the latency screen counts them.
    const over = query.latency.overMs;
    const total = await getInsightTotal(filters, {
      kind: 'latency',
      types: ['d'],
      buckets: over === undefined ? undefined : bucketsAbove(over),
    });
    return total ?? undefined;
  }
  const { counts } = await getSummary(filters);
  return types.reduce((sum, t) => sum + counts[COUNT_KEYS[t]], 0);
}
