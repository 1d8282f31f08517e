import { Prisma } from '../generated/prisma/client.ts';

/**
 * The mailbox of the record aliased `a`: its local part (everything before the last `@`)
 * lower-cased, `@`, and its recipient domain as the ingest stores it (lower-case, IDN as Unicode),
 * so `HANS@bücher.de` and `hans@xn--bcher-kva.de` are one mailbox. An address without `@` is its
 * own local part (`foo` → `foo@`). The one identity of a suppression entry: the list, its event
 * count, the first-event test and the records explorer's `rcpt` filter all compare it.
 *
 * The same expression, character for character, is the key of the suppression indexes (migration
 * 20261208010000): the planner uses an expression index only for an identical expression, so
 * change both together (tests/integration/suppressions.test.ts checks the plans use them).
 */
export function recipientKey(a: 'r' | 'e'): Prisma.Sql {
  const rcpt = Prisma.raw(`${a}.rcpt`);
  return Prisma.sql`(lower(left(${rcpt}, length(${rcpt}) - strpos(reverse(${rcpt}), '@'))) || '@' || ${Prisma.raw(a)}.rcpt_domain)`;
}

/**
 * A suppression event of the record aliased `a`: a `b` in a hard bounce category, any `rb`, or an
 * `f` with a recipient. The literal `type IN (…) AND rcpt IS NOT NULL` repeats the predicate of
 * the partial indexes (migration 20261208010000) so the planner can use them; the category list
 * is configurable, so it is a bind parameter, not part of the index.
 */
export function suppressionEvent(a: 'r' | 'e', hardCategories: readonly string[]): Prisma.Sql {
  const t = Prisma.raw(a);
  return Prisma.sql`${t}.type IN ('b', 'rb', 'f') AND ${t}.rcpt IS NOT NULL
    AND (${t}.type <> 'b' OR ${t}.bounce_cat = ANY(${[...hardCategories]}::text[]))`;
}

/**
 * Keeps only a mailbox's first suppression event ever (recipientKey), so a recipient is listed
 * once, whatever the window and the spelling: an event is first when no other suppression event of
 * the same mailbox precedes it in (time, file, byte offset) order.
 */
export function firstSuppressionEvent(hardCategories: readonly string[]): Prisma.Sql {
  return Prisma.sql`${suppressionEvent('r', hardCategories)}
    AND NOT EXISTS (
      SELECT 1 FROM acct_record e
       WHERE ${suppressionEvent('e', hardCategories)}
         AND ${recipientKey('e')} = ${recipientKey('r')}
         AND (e.time_logged, e.file_id, e.byte_offset) < (r.time_logged, r.file_id, r.byte_offset))`;
}

/** The reason of a suppression event `r`. */
export const REASON_SQL = Prisma.sql`CASE r.type WHEN 'b' THEN 'hard-bounce' WHEN 'rb' THEN 'remote-bounce' ELSE 'complaint' END`;

export const SUPPRESSION_REASONS = ['hard-bounce', 'remote-bounce', 'complaint'] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];
