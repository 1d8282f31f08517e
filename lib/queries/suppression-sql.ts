import { Prisma } from '../generated/prisma/client.ts';

/**
 * A suppression event of the record aliased `a`: a `b` in a hard bounce category, any `rb`, or an
 * `f` with a recipient. The literal `type IN (…) AND rcpt IS NOT NULL` repeats the predicate of
 * the partial indexes (migration 20261128020000) so the planner can use them; the category list
 * is configurable, so it is a bind parameter, not part of the index.
 */
export function suppressionEvent(a: 'r' | 'e', hardCategories: readonly string[]): Prisma.Sql {
  const t = Prisma.raw(a);
  return Prisma.sql`${t}.type IN ('b', 'rb', 'f') AND ${t}.rcpt IS NOT NULL
    AND (${t}.type <> 'b' OR ${t}.bounce_cat = ANY(${[...hardCategories]}::text[]))`;
}

/**
 * Keeps only a recipient's first suppression event ever (addresses compared lower-cased), so a
 * recipient is listed once, whatever the window: an event is first when no other suppression
 * event of the same address precedes it in (time, file, byte offset) order.
 */
export function firstSuppressionEvent(hardCategories: readonly string[]): Prisma.Sql {
  return Prisma.sql`${suppressionEvent('r', hardCategories)}
    AND NOT EXISTS (
      SELECT 1 FROM acct_record e
       WHERE ${suppressionEvent('e', hardCategories)}
         AND lower(e.rcpt) = lower(r.rcpt)
         AND (e.time_logged, e.file_id, e.byte_offset) < (r.time_logged, r.file_id, r.byte_offset))`;
}

/** The reason of a suppression event `r`. */
export const REASON_SQL = Prisma.sql`CASE r.type WHEN 'b' THEN 'hard-bounce' WHEN 'rb' THEN 'remote-bounce' ELSE 'complaint' END`;

export const SUPPRESSION_REASONS = ['hard-bounce', 'remote-bounce', 'complaint'] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];
