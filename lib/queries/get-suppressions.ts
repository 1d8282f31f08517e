import { hardBounceCategories } from '../acct/bounce-class.ts';
import { getPrisma } from '../db/client.ts';
import { isCursorInstant, ParamError, parseInstant, parseLimit, single } from '../filters.ts';
import { Prisma } from '../generated/prisma/client.ts';
import {
  firstSuppressionEvent,
  REASON_SQL,
  recipientKey,
  type SuppressionReason,
  suppressionEvent,
} from './suppression-sql.ts';

const DAY = 86_400_000;
export const DEFAULT_SINCE_DAYS = 30;
export const MAX_SUPPRESSIONS_LIMIT = 10_000;

export interface SuppressionQuery {
  /** Entries whose first event is at or after this instant (ignored when `cursor` is given). */
  since: Date;
  /** Entries whose first event is before this instant. */
  until?: Date;
  /** Continue after the entry a previous page ended with. */
  cursor?: string;
  limit: number;
}

export interface Suppression {
  rcpt: string;
  rcptDomain: string;
  reason: SuppressionReason;
  time: string;
  bounceCategory: string | null;
  dsnStatus: string | null;
  dsnDiag: string | null;
  feedbackType: string | null;
  vmta: string | null;
  jobId: string | null;
  source: string;
  /** Suppression events of this recipient in all (this one included), up to now. */
  eventCount: number;
  /** The record of the first event, as the records API names it (`fileId:byteOffset`). */
  recordId: string;
  file: { id: number; path: string | null; offset: number };
}

interface Cursor {
  /** Time of the last entry listed. */
  t: string;
  /** Its mailbox (recipientKey). */
  k: string;
}

export function encodeSuppressionCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.t, c.k])).toString('base64url');
}

export function decodeSuppressionCursor(value: string): Cursor {
  try {
    const [t, k] = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    if (!isCursorInstant(t) || typeof k !== 'string' || k.includes('\0') || k.length > 2000)
      throw new Error('shape');
    return { t, k };
  } catch {
    throw new ParamError('cursor is not one this API returned', 'cursor');
  }
}

type Row = {
  rcpt: string;
  rcpt_key: string;
  rcpt_domain: string;
  reason: SuppressionReason;
  time_logged: Date;
  bounce_cat: string | null;
  dsn_status: string | null;
  dsn_diag: string | null;
  feedback_type: string | null;
  vmta: string | null;
  job_id: string | null;
  source: string;
  file_id: number;
  byte_offset: bigint;
  path: string | null;
};

/**
 * Recipients to suppress: one entry per mailbox (recipientKey: the local part lower-cased, the
 * domain as stored, so an IDN domain in punycode and in Unicode is one; spelt as in its first
 * event), listed at its first suppression event ever, in (time, mailbox) order with a keyset
 * cursor. `nextCursor` is given whenever there is a position to continue from (the last entry of
 * this page, or the request's own cursor when the page is empty), so a sender can poll with it
 * later and get only the entries that appeared after; `hasMore` says whether more exist now.
 */
export async function getSuppressions(
  query: SuppressionQuery,
  hardCategories: readonly string[] = hardBounceCategories(),
) {
  const cursor = query.cursor ? decodeSuppressionCursor(query.cursor) : undefined;
  const from = cursor ? { t: new Date(cursor.t), k: cursor.k } : { t: query.since, k: '' };
  const rows = await getPrisma().$queryRaw<Row[]>(suppressionPageSql(from, query, hardCategories));
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const counts = await countEvents(
    page.map((r) => r.rcpt_key),
    hardCategories,
  );
  return {
    since: from.t.toISOString(),
    ...(query.until ? { until: query.until.toISOString() } : {}),
    suppressions: page.map((row) => shapeSuppression(row, counts.get(row.rcpt_key) ?? 1)),
    nextCursor: last
      ? encodeSuppressionCursor({ t: last.time_logged.toISOString(), k: last.rcpt_key })
      : (query.cursor ?? null),
    hasMore: rows.length > query.limit,
  };
}

/**
 * The entries after `from` (a position: time and mailbox), up to `until`, one more than the
 * limit. Exported with eventCountSql for the test that checks their plans read the indexes.
 */
export function suppressionPageSql(
  from: { t: Date; k: string },
  query: Pick<SuppressionQuery, 'until' | 'limit'>,
  hardCategories: readonly string[],
): Prisma.Sql {
  // (since, '') and a cursor read alike: every mailbox sorts after '' (it holds an '@').
  const key = recipientKey('r');
  const where = [
    firstSuppressionEvent(hardCategories),
    Prisma.sql`(r.time_logged, ${key}) > (${from.t}, ${from.k})`,
    // Redundant with the row comparison, but a plain bound is what prunes the day partitions.
    Prisma.sql`r.time_logged >= ${from.t}`,
  ];
  if (query.until) where.push(Prisma.sql`r.time_logged < ${query.until}`);
  return Prisma.sql`
    SELECT r.rcpt, ${key} AS rcpt_key, r.rcpt_domain, ${REASON_SQL} AS reason, r.time_logged,
           r.bounce_cat, r.dsn_status, r.dsn_diag, r.feedback_type, r.vmta, r.job_id, r.source,
           r.file_id, r.byte_offset, a.path
      FROM acct_record r LEFT JOIN acct_file a ON a.id = r.file_id
     WHERE ${Prisma.join(where, ' AND ')}
     ORDER BY r.time_logged, ${key}
     LIMIT ${query.limit + 1}`;
}

/**
 * Suppression events per mailbox of a page, in one query: an index scan per day partition with
 * the whole list (a count per entry would probe every partition once per entry, ~10× slower).
 */
export function eventCountSql(keys: string[], hardCategories: readonly string[]): Prisma.Sql {
  const key = recipientKey('e');
  return Prisma.sql`
    SELECT ${key} AS k, count(*) AS n FROM acct_record e
     WHERE ${suppressionEvent('e', hardCategories)} AND ${key} = ANY(${keys}::text[])
     GROUP BY 1`;
}

async function countEvents(keys: string[], hardCategories: readonly string[]): Promise<Map<string, number>> {
  if (keys.length === 0) return new Map();
  const rows = await getPrisma().$queryRaw<{ k: string; n: bigint }[]>(eventCountSql(keys, hardCategories));
  return new Map(rows.map((r) => [r.k, Number(r.n)]));
}

function shapeSuppression(row: Row, eventCount: number): Suppression {
  return {
    rcpt: row.rcpt,
    rcptDomain: row.rcpt_domain,
    reason: row.reason,
    time: row.time_logged.toISOString(),
    bounceCategory: row.bounce_cat,
    dsnStatus: row.dsn_status,
    dsnDiag: row.dsn_diag,
    feedbackType: row.feedback_type,
    vmta: row.vmta,
    jobId: row.job_id,
    source: row.source,
    eventCount,
    recordId: `${row.file_id}:${row.byte_offset}`,
    file: { id: row.file_id, path: row.path, offset: Number(row.byte_offset) },
  };
}

/** The suppressions query of a URL (the API and the screen read the same parameters). */
export function parseSuppressionQuery(
  params: URLSearchParams,
  defaultLimit = 1000,
  now = new Date(),
): SuppressionQuery {
  const sinceRaw = single(params, 'since');
  const untilRaw = single(params, 'until');
  const since = sinceRaw
    ? parseInstant(sinceRaw, 'since')
    : new Date(now.getTime() - DEFAULT_SINCE_DAYS * DAY);
  const until = untilRaw ? parseInstant(untilRaw, 'until') : undefined;
  if (until && until.getTime() <= since.getTime()) throw new ParamError('until must be after since', 'until');
  const cursor = single(params, 'cursor');
  if (cursor) decodeSuppressionCursor(cursor);
  return { since, until, cursor, limit: parseLimit(params, defaultLimit, MAX_SUPPRESSIONS_LIMIT) };
}
