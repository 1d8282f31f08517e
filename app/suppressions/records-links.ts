import { MAX_RANGE_DAYS } from '@/lib/filters.ts';
import type { SuppressionFilter } from '@/lib/queries/get-records.ts';
import type { Suppression } from '@/lib/queries/get-suppressions.ts';
import type { SuppressionReason } from '@/lib/queries/suppression-sql.ts';

const MINUTE = 60_000;

/** The record type of each reason (the suppression-sql REASON_SQL the other way round). */
const REASON_TYPES: Record<SuppressionReason, string> = {
  'hard-bounce': 'b',
  'remote-bounce': 'rb',
  complaint: 'f',
};

/**
 * The explorer's suppression records of [from, to) (`to` absent: up to the end of the current
 * minute, as far as the counts reach), or null when that window is longer than the explorer's
 * ranges (MAX_RANGE_DAYS): a link to fewer records than the figure is worse than none.
 */
function explorerHref(
  set: Record<string, string> & { suppression: SuppressionFilter },
  window: { from: number; to?: number; tz: string },
  now: number,
): string | null {
  const to = window.to ?? Math.max(Math.ceil((now + 1) / MINUTE) * MINUTE, window.from + MINUTE);
  if (to - window.from > MAX_RANGE_DAYS * 86_400_000) return null;
  const q = new URLSearchParams({
    ...set,
    from: new Date(window.from).toISOString(),
    to: new Date(to).toISOString(),
    tz: window.tz,
  });
  return `/records?${q.toString()}`;
}

/**
 * An entry's suppression events in the explorer, from the minute of its first one on: its
 * mailbox (the explorer's rcpt filter compares the same key as the list), so as many records as
 * its Events. Null when the explorer would read its rcpt as a domain (no '@', or nothing before
 * it) or the events reach back further than its ranges.
 */
export function entryRecordsHref(s: Suppression, tz: string, now = Date.now()): string | null {
  if (s.rcpt.lastIndexOf('@') <= 0) return null;
  const from = Math.floor(Date.parse(s.time) / MINUTE) * MINUTE;
  return explorerHref({ rcpt: s.rcpt, suppression: 'events' }, { from, tz }, now);
}

/**
 * The first events of the recipients a by-reason count counts (all reasons without one), over the
 * same window: as many records as the count.
 */
export function reasonRecordsHref(
  window: { since: Date; until?: Date },
  reason: SuppressionReason | null,
  tz: string,
  now = Date.now(),
): string | null {
  const set = { suppression: 'first' as const, ...(reason ? { type: REASON_TYPES[reason] } : {}) };
  return explorerHref(set, { from: window.since.getTime(), to: window.until?.getTime(), tz }, now);
}
