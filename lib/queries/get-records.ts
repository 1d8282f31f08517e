import { hardBounceCategories } from '../acct/bounce-class.ts';
import { normaliseDomain, recipientDomain } from '../acct/domain.ts';
import { LATENCY_BOUNDS_MS } from '../acct/latency.ts';
import { RECORD_TYPES, type RecordType } from '../acct/types.ts';
import { SLICE_KIND, type SliceKindName } from '../db/slice-kinds.ts';
import {
  type Filters,
  isCursorInstant,
  nulError,
  ParamError,
  parseChoice,
  parseFilters,
  parseLimit,
  single,
} from '../filters.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { type Cursor, encodeCursor } from '../record-cursor.ts';
import { type RawReader, rawFilterConditions, readRawRows } from './raw-filters.ts';
import { firstSuppressionEvent, recipientKey, suppressionEvent } from './suppression-sql.ts';

/**
 * The suppressions screen's records: `events`, every suppression event (a hard bounce, any remote
 * bounce, a complaint with a recipient: what an entry's Events counts); `first`, only each
 * mailbox's first one (what its by-reason counts count).
 */
export const SUPPRESSION_FILTERS = ['events', 'first'] as const;
export type SuppressionFilter = (typeof SUPPRESSION_FILTERS)[number];

/** `latency=`: `timed`, the deliveries the latency screen counts (RecordQuery.latency). */
export const LATENCY_FILTERS = ['timed'] as const;

/** lib/acct/dsn-code.ts's pattern in PostgreSQL's regular expressions (the code is the group). */
const DSN_CODE_SQL = '^[[:space:]]*([0-9]\\.[0-9]{1,3}\\.[0-9]{1,3})(?![0-9.])';

export interface RecordQuery {
  filters: Filters;
  types: RecordType[];
  /** An exact recipient address (contains @) or a recipient domain. */
  rcpt?: string;
  /** A PowerMTA queue (`domain/vmta`), exactly. */
  queue?: string;
  /** Free text searched in the diagnostic (dsnDiag), case-insensitive. */
  q?: string;
  /** An exact diagnostic text ('' matches records without one): the records behind a diagnostics row. */
  diag?: string;
  /**
   * A reason's template key (16 hex digits; '' = t/tq/b/rb records without a diagnostic): exactly
   * the records the reasons view counts under it (acct_record.diag_key, written by the ingest).
   */
  template?: string;
  /**
   * An enhanced status code (`5.7.1`; '' = none) at the start of dsnStatus, as lib/acct/dsn-code.ts
   * reads it: exactly the records the DSN codes view counts under it.
   */
  dsnCode?: string;
  /** Only suppression events (SUPPRESSION_FILTERS), judged as the suppressions screen judges them. */
  suppression?: SuppressionFilter;
  /**
   * Only timed deliveries (`latency=timed`): `d` records with a timeQueued, exactly those the
   * latency histograms count (ingest/insights.ts). With `overMs` (`latencyOver=`, one of
   * LATENCY_BOUNDS_MS) only those slower than that bound: the histogram's buckets above its own.
   */
  latency?: { overMs?: number };
  /** Only the records read from this file (`files[].id` of the ingest status). */
  fileId?: number;
  limit: number;
  cursor?: string;
}

export function decodeCursor(value: string): Cursor {
  try {
    const [t, f, o] = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    // The values this API writes: an instant as toISOString() writes it (years 0–9999), a file id
    // (a positive int4) and a byte offset (a non-negative int8); anything else reached SQL as a 500.
    if (
      !isCursorInstant(t) ||
      !Number.isInteger(f) ||
      f < 1 ||
      f > 2_147_483_647 ||
      typeof o !== 'string' ||
      !/^\d{1,19}$/.test(o) ||
      BigInt(o) > 9_223_372_036_854_775_807n
    ) {
      throw new Error('bad shape');
    }
    return { t, f, o };
  } catch {
    throw new ParamError('cursor is not one this API returned', 'cursor');
  }
}

export function parseRecordTypes(values: string[]): RecordType[] {
  const types = values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim().toLowerCase())
    .filter(Boolean);
  for (const t of types) {
    if (!(RECORD_TYPES as readonly string[]).includes(t)) {
      throw new ParamError(`type must be one of ${RECORD_TYPES.join(', ')}, got '${t}'`, 'type');
    }
  }
  return types as RecordType[];
}

type Row = {
  time_logged: Date;
  file_id: number;
  byte_offset: bigint;
  path: string | null;
  [column: string]: unknown;
};

/**
 * The records behind any count: the same filters as the stats (complaints match a VirtualMTA or
 * pool through their sending IP, exactly as the stats attribute them), newest first, keyset
 * pagination on (time_logged, file_id, byte_offset) — the record's identity. A page filtered by
 * provider is read in one snapshot (readRawRows).
 */
export function getRecords(query: RecordQuery) {
  return readRawRows(query.filters, (db) => readRecords(db, query));
}

/**
 * How many records the query selects (from its first page on), counted from the raw rows: for a slice the
 * rollups do not carry (a reason of a sending IP's or a job's records), where the detail page that
 * links here counted them from the raw rows too. Only where the window's raw rows are all kept.
 */
export function countRecords(query: RecordQuery): Promise<number> {
  return readRawRows(query.filters, async (db) => {
    const where = await recordConditions(db, query);
    const [{ n }] = await db.$queryRaw<{ n: bigint }[]>(
      Prisma.sql`SELECT count(*) AS n FROM acct_record r WHERE ${Prisma.join(where, ' AND ')}`,
    );
    return Number(n);
  });
}

/** The query's conditions on raw rows `r`: the stats filters and the explorer's own. */
export async function recordConditions(db: RawReader, query: RecordQuery): Promise<Prisma.Sql[]> {
  const where = await rawFilterConditions(query.filters, db);
  if (query.types.length) where.push(Prisma.sql`r.type = ANY(${query.types}::text[])`);
  if (query.queue) where.push(Prisma.sql`r.queue = ${query.queue}`);
  if (query.rcpt) {
    // An address, or a domain (written "@gmail.com" too: that found nothing, QA). An address is
    // its mailbox, as a suppression entry counts its events (recipientKey): the domain as the
    // ingest stores it (Unicode, lower-case), so hans@bücher.de finds HANS@xn--bcher-kva.de as
    // logged, and the other way round (QA); read through the domain index.
    const r = query.rcpt.trim();
    const at = r.lastIndexOf('@');
    const domain = at > 0 ? recipientDomain(r) : normaliseDomain(r.replace(/^@/, ''));
    where.push(
      at > 0
        ? Prisma.sql`r.rcpt_domain = ${domain} AND ${recipientKey('r')} = lower(${r.slice(0, at)}) || '@' || ${domain}`
        : Prisma.sql`r.rcpt_domain = ${domain}`,
    );
  }
  if (query.suppression) {
    const hard = hardBounceCategories();
    where.push(query.suppression === 'first' ? firstSuppressionEvent(hard) : suppressionEvent('r', hard));
  }
  if (query.diag !== undefined) where.push(Prisma.sql`COALESCE(r.dsn_diag, '') = ${query.diag}`);
  if (query.template !== undefined) where.push(Prisma.sql`r.diag_key = ${query.template}`);
  if (query.dsnCode !== undefined) {
    where.push(Prisma.sql`COALESCE(substring(r.dsn_status from ${DSN_CODE_SQL}), '') = ${query.dsnCode}`);
  }
  if (query.latency) {
    // The ingest counts a `d` row whose timeQueued parsed (the column is NULL otherwise) in the
    // bucket of timeLogged − timeQueued in whole ms (negative: bucket 0); bucket i holds latencies
    // in (bound i−1, bound i], so "slower than a bound" is exactly the buckets above it. Both
    // times are stored to the ms the ingest read, so the difference is the one it bucketed.
    where.push(Prisma.sql`r.type = 'd' AND r.time_queued IS NOT NULL`);
    const over = query.latency.overMs;
    if (over !== undefined) {
      where.push(Prisma.sql`r.time_logged > r.time_queued + ${over}::float8 * interval '1 millisecond'`);
    }
  }
  if (query.fileId !== undefined) where.push(Prisma.sql`r.file_id = ${query.fileId}`);
  if (query.q) {
    const like = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(Prisma.sql`r.dsn_diag ILIKE ${like}`);
  }
  return where;
}

async function readRecords(db: RawReader, query: RecordQuery) {
  const { filters: f } = query;
  const where = await recordConditions(db, query);
  let upper = f.to.getTime();
  if (query.cursor) {
    const c = decodeCursor(query.cursor);
    where.push(
      Prisma.sql`(r.time_logged, r.file_id, r.byte_offset) < (${new Date(c.t)}, ${c.f}, ${BigInt(c.o)})`,
    );
    upper = Math.min(upper, Date.parse(c.t) + 1);
  }
  // Newest first, one step back in time at a time: the rest of the UTC day (day partition) holding
  // the newest instant, then back to where the day slice rollups say the page fills up (or a week,
  // without them), then the rest. A step's time bounds let PostgreSQL plan only the day partitions
  // it covers, where one query over a 90-day range opens all 90 (their catalog entries and index
  // roots, read from disk after a restart) even when the page lies in the first; and steps end on
  // partition edges, so none opens a partition for the millisecond a cursor's bound reaches into
  // it. The bounds only choose how much is read per step: every step reads [lower, upper)
  // completely, so the page is the same whatever they are.
  const rows: Row[] = [];
  const from = f.from.getTime();
  for (let step = 0; ; step++) {
    let lower = from;
    if (step === 0) lower = Math.max(from, Math.floor((upper - 1) / DAY) * DAY);
    else if (step === 1) {
      const estimate = await pageStart(db, query, upper, query.limit + 1 - rows.length);
      lower = Math.max(from, estimate ?? upper - WEEK);
    }
    const found = await db.$queryRaw<Row[]>(Prisma.sql`
      SELECT r.*, a.path FROM acct_record r LEFT JOIN acct_file a ON a.id = r.file_id
       WHERE ${Prisma.join(where, ' AND ')} AND r.time_logged >= ${new Date(lower)} AND r.time_logged < ${new Date(upper)}
       ORDER BY r.time_logged DESC, r.file_id DESC, r.byte_offset DESC
       LIMIT ${query.limit + 1 - rows.length}`);
    rows.push(...found);
    upper = lower;
    if (rows.length > query.limit || lower <= from) break;
  }
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    records: page.map(shapeRecord),
    nextCursor:
      rows.length > query.limit && last
        ? encodeCursor({ t: last.time_logged.toISOString(), f: last.file_id, o: String(last.byte_offset) })
        : null,
  };
}

const DAY = 86_400_000;
const WEEK = 7 * DAY;

/**
 * Where, going back from `upper`, at least `needed` records of the query lie: the start of the
 * newest UTC day such that the whole days from it up to `upper` hold that many, counted by the day
 * slice rollups of the query's one filtered dimension (or of all records) and its record types.
 * The day holding `upper` counts as empty (it also counts records at or after `upper`). Null when
 * the filters span several dimensions (no slice counts them). Other filters (recipient, text)
 * only make the estimate too late, and getRecords then reads on.
 */
async function pageStart(
  db: RawReader,
  query: RecordQuery,
  upper: number,
  needed: number,
): Promise<number | null> {
  const f = query.filters;
  const dims = (Object.keys(SLICE_KIND) as SliceKindName[]).filter((k) => k !== 'all' && f[k].length > 0);
  if (dims.length > 1) return null;
  const kind = dims.length ? SLICE_KIND[dims[0]] : SLICE_KIND.all;
  const keys = dims.length ? f[dims[0] as Exclude<SliceKindName, 'all'>] : [''];
  const days = await db.$queryRaw<{ bucket: Date; n: bigint }[]>(Prisma.sql`
    SELECT bucket, SUM(n)::int8 AS n FROM rollup_slice_day
     WHERE kind = ${kind} AND key = ANY(${keys}::text[])
       AND bucket >= ${new Date(Math.floor(f.from.getTime() / DAY) * DAY)}
       AND bucket < ${new Date(Math.floor(upper / DAY) * DAY)}
       ${query.types.length ? Prisma.sql`AND type = ANY(${query.types}::text[])` : Prisma.empty}
     GROUP BY bucket ORDER BY bucket DESC`);
  let sum = 0;
  for (const d of days) {
    sum += Number(d.n);
    if (sum >= needed) return d.bucket.getTime();
  }
  return f.from.getTime();
}

const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

function shapeRecord(row: Row) {
  const out: Record<string, unknown> = {
    id: `${row.file_id}:${row.byte_offset}`,
    file: { id: row.file_id, path: row.path, offset: Number(row.byte_offset) },
  };
  for (const [key, value] of Object.entries(row)) {
    if (key === 'path' || key === 'file_id' || key === 'byte_offset') continue;
    out[camel(key)] = value instanceof Date ? value.toISOString() : value;
  }
  return out;
}

/** The records query of a URL (the API and the explorer read the same parameters). */
export function parseRecordQuery(params: URLSearchParams, defaultLimit: number): RecordQuery {
  const q = single(params, 'q');
  if (q && q.length > 200) throw new ParamError('q must be at most 200 characters', 'q');
  const diags = params.getAll('diag');
  if (diags.length > 1) throw new ParamError('diag must be given once', 'diag');
  if (diags[0]?.includes('\0')) throw nulError('diag');
  if (diags[0] !== undefined && diags[0].length > 5000) {
    throw new ParamError('diag must be at most 5000 characters', 'diag');
  }
  const codes = params.getAll('dsnCode');
  if (codes.length > 1) throw new ParamError('dsnCode must be given once', 'dsnCode');
  if (codes[0] !== undefined && !/^(?:\d\.\d{1,3}\.\d{1,3})?$/.test(codes[0])) {
    throw new ParamError('dsnCode must be an enhanced status code such as 5.7.1, or empty', 'dsnCode');
  }
  const templates = params.getAll('template');
  if (templates.length > 1) throw new ParamError('template must be given once', 'template');
  if (templates[0] !== undefined && !/^(?:[0-9a-f]{16})?$/.test(templates[0])) {
    throw new ParamError("template must be a reason's key (16 hex digits) or empty", 'template');
  }
  const types = parseRecordTypes(params.getAll('type'));
  const latency = parseLatency(params);
  if (latency) {
    // Only deliveries are timed: with another type, or a filter only other types match, the list
    // would be empty for a reason the figure behind it does not have.
    const other = types.find((t) => t !== 'd');
    if (other) throw new ParamError(`latency selects deliveries (type d), not type ${other}`, 'latency');
    if (params.has('template')) {
      throw new ParamError('latency selects deliveries, which have no reason (template)', 'latency');
    }
    if (params.has('suppression')) {
      throw new ParamError('latency selects deliveries, which are never suppression events', 'latency');
    }
  }
  return {
    filters: parseFilters(params),
    // A latency filter lists deliveries only: said as their type too, so that the page's
    // estimate of where it fills up (pageStart) counts deliveries.
    types: latency && types.length === 0 ? ['d'] : types,
    rcpt: single(params, 'rcpt'),
    queue: single(params, 'queue'),
    q,
    diag: diags[0],
    template: templates[0],
    dsnCode: codes[0],
    suppression: params.has('suppression')
      ? parseChoice(params, 'suppression', SUPPRESSION_FILTERS)
      : undefined,
    latency,
    fileId: parseFileId(params),
    limit: parseLimit(params, defaultLimit, 500),
    cursor: single(params, 'cursor'),
  };
}

/** `fileId=`: a file's id as the ingest status lists it (a positive 32-bit integer). */
function parseFileId(params: URLSearchParams): number | undefined {
  const ids = params.getAll('fileId');
  if (ids.length === 0) return undefined;
  if (ids.length > 1) throw new ParamError('fileId must be given once', 'fileId');
  const id = Number(ids[0]);
  if (!/^[1-9]\d{0,9}$/.test(ids[0]) || id > 2 ** 31 - 1) {
    throw new ParamError("fileId must be a file's id, as the ingest status lists it", 'fileId');
  }
  return id;
}

/**
 * `latency=timed` and/or `latencyOver=<ms>` (a bucket bound: only a whole bucket can be counted by
 * the histograms, so the total stays the figure that links here), which implies `timed`.
 */
function parseLatency(params: URLSearchParams): RecordQuery['latency'] {
  const over = params.getAll('latencyOver');
  if (over.length > 1) throw new ParamError('latencyOver must be given once', 'latencyOver');
  if (params.has('latency')) parseChoice(params, 'latency', LATENCY_FILTERS);
  else if (over.length === 0) return undefined;
  if (over.length === 0) return {};
  const ms = /^\d{1,10}$/.test(over[0]) ? Number(over[0]) : Number.NaN;
  if (!LATENCY_BOUNDS_MS.includes(ms)) {
    throw new ParamError(
      `latencyOver must be one of the latency histogram's bounds in ms (${LATENCY_BOUNDS_MS.join(', ')}), got '${over[0]}'`,
      'latencyOver',
    );
  }
  return { overMs: ms };
}
