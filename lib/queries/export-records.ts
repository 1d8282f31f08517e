import pg from 'pg';
import { type CsvColumn, csvField, csvHeader, isPlainAddress } from '../api/csv.ts';
import { BusyError } from '../api/respond.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { type RecordQuery, recordConditions } from './get-records.ts';
import type { RawReader } from './raw-filters.ts';

/** A raw row as node-postgres reads it (int8 as a string, timestamptz as a Date, jsonb parsed). */
type ExportRow = Record<string, unknown> & { time_logged: Date; file_id: number; byte_offset: string };

const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : v);

/**
 * The export's columns after recordId: each CSV name (as the records API names the field) with
 * the column of `acct_record r` / `acct_file a` it holds. A test compares them with acct_record's
 * columns, so a column added later is not left out of the export unnoticed.
 */
export const RECORD_CSV_FIELDS: readonly (readonly [name: string, column: string])[] = [
  ['timeLogged', 'time_logged'],
  ['type', 'type'],
  ['timeQueued', 'time_queued'],
  ['orig', 'orig'],
  ['rcpt', 'rcpt'],
  ['rcptDomain', 'rcpt_domain'],
  ['provider', 'provider'],
  ['dsnAction', 'dsn_action'],
  ['dsnStatus', 'dsn_status'],
  ['dsnDiag', 'dsn_diag'],
  ['dsnMta', 'dsn_mta'],
  ['bounceCat', 'bounce_cat'],
  ['dlvSourceIp', 'dlv_source_ip'],
  ['dlvDestinationIp', 'dlv_destination_ip'],
  ['dlvSize', 'dlv_size'],
  ['vmta', 'vmta'],
  ['vmtaPool', 'vmta_pool'],
  ['jobId', 'job_id'],
  ['envId', 'env_id'],
  ['queue', 'queue'],
  ['feedbackType', 'feedback_type'],
  ['reportingMta', 'reporting_mta'],
  ['orcpt', 'orcpt'],
  ['srcType', 'src_type'],
  ['srcMta', 'src_mta'],
  ['dlvType', 'dlv_type'],
  ['dlvEsmtpAvailable', 'dlv_esmtp_available'],
  ['diagKey', 'diag_key'],
  ['source', 'source'],
  ['filePath', 'path'],
  ['fileOffset', 'byte_offset'],
];

/** Addresses as logged, when plain (csvField): what a list database matches them with. */
const VERBATIM: Record<string, (text: string) => boolean> = { orig: isPlainAddress, rcpt: isPlainAddress };

/**
 * Every column of a raw record: recordId (`file:offset`, the records API's id), the fields above,
 * then `extra` as JSON (header_* and unknown columns; empty when there are none).
 */
export const RECORD_CSV_COLUMNS: CsvColumn<ExportRow>[] = [
  { name: 'recordId', value: (r) => `${r.file_id}:${r.byte_offset}` },
  ...RECORD_CSV_FIELDS.map(([name, field]) => ({
    name,
    value: (r: ExportRow) => iso(r[field]),
    verbatim: VERBATIM[name],
  })),
  {
    name: 'extra',
    value: (r) => (r.extra && Object.keys(r.extra as object).length ? JSON.stringify(r.extra) : ''),
  },
];

/** Rows fetched from the cursor per step: what one step of the stream holds in memory. */
const FETCH_ROWS = 2000;

/** Exports at once per process: each holds a connection of its own for as long as it streams. */
export const MAX_EXPORTS = 4;
let running = 0;

/** A row as PostgreSQL sent it: each field's text, in the cursor's column order (null as null). */
type RawRow = (string | null)[];

/** node-postgres without its type parsers: every field stays the text PostgreSQL sent. */
const RAW_TEXT = { getTypeParser: () => (text: string) => text };

/** The cursor's columns: recordId's file_id, the columns of RECORD_CSV_FIELDS in order, extra. */
const SELECT_COLUMNS = [
  'r.file_id',
  ...RECORD_CSV_FIELDS.map(([, column]) => (column === 'path' ? 'a.path' : `r.${column}`)),
  'r.extra',
].join(', ');

/**
 * A timestamptz as toISOString writes it, from the text PostgreSQL sends in a UTC session with
 * DateStyle ISO (`2026-03-01 23:59:59.12+00`: the fraction's trailing zeros dropped, none when
 * whole): years 1 to 9999, up to ms. Anything else (another zone, BC, 5-digit years, a finer
 * fraction) is undefined, and node-postgres' own parser reads it.
 */
export function utcIso(text: string): string | undefined {
  const n = text.length;
  if (n < 22 || n > 26 || n === 23 || !text.endsWith('+00')) return undefined;
  if (text[4] !== '-' || text[7] !== '-' || text[10] !== ' ' || text[13] !== ':' || text[16] !== ':')
    return undefined;
  if (n > 22 && text[19] !== '.') return undefined;
  const ms = n === 22 ? '000' : text.slice(20, n - 3).padEnd(3, '0');
  return `${text.slice(0, 10)}T${text.slice(11, 19)}.${ms}Z`;
}

/**
 * One `"key": "value"` of jsonb's text, with no escape in either, then `, ` or the closing brace.
 * (jsonb writes a control character as an escape, and its text is valid UTF-8: no lone surrogate.)
 */
const JSONB_PAIR = /"([^"\\]*)": "([^"\\]*)"(, |\}$)/y;
/** A key JSON.parse would move to the front (an array index: V8 lists them first, in order). */
const INDEX_KEY = /^(0|[1-9][0-9]*)$/;

/**
 * JSON.stringify(JSON.parse(text)) of a jsonb object's text whose values are strings without an
 * escape (`{"header_X-Job": "a", "k": "b"}`): the same pairs in the same order without the spaces.
 * Undefined for anything else (an escape, a number, a nested value, a key like "1"), which
 * node-postgres' parser reads.
 */
export function jsonbStringify(text: string): string | undefined {
  if (text[0] !== '{') return undefined;
  let out = '';
  JSONB_PAIR.lastIndex = 1;
  for (;;) {
    const m = JSONB_PAIR.exec(text);
    if (!m || INDEX_KEY.test(m[1])) return undefined;
    out += `${out ? ',' : '{'}"${m[1]}":"${m[2]}"`;
    if (m[3] !== ', ') return `${out}}`;
  }
}

/**
 * One CSV field from a raw row, written without node-postgres' parsed values where that gives the
 * same text; undefined where it cannot tell, and the column's value() on the parsed row writes it.
 */
type FastField = (row: RawRow) => string | undefined;

/** Column types whose text node-postgres passes on as it is (text, varchar, int8 as a string). */
const AS_TEXT = new Set([25, 1043, 20]);
/** int2, int4: a number, whose String() is PostgreSQL's text; never a formula (csvField). */
const AS_NUMBER = new Set([21, 23]);
const TIMESTAMPTZ = 1184;

function fastField(field: pg.FieldDef, i: number, verbatim?: (text: string) => boolean): FastField {
  if (AS_TEXT.has(field.dataTypeID)) return (row) => csvField(row[i], verbatim);
  if (AS_NUMBER.has(field.dataTypeID)) return (row) => row[i] ?? '';
  if (field.dataTypeID === TIMESTAMPTZ) {
    return (row) => {
      const text = row[i];
      // ISO text: digits, '-', 'T', ':', '.', 'Z', nothing csvField quotes or marks.
      return text === null ? '' : utcIso(text);
    };
  }
  return () => undefined;
}

/**
 * The CSV row writer for the cursor's columns (SELECT_COLUMNS, as the first FETCH describes them):
 * the same text as csvRow(RECORD_CSV_COLUMNS, row) on the row node-postgres would parse from
 * `SELECT r.*, a.path`, written from the columns' text without parsing what it need not (a Date
 * per timestamp, an object per row, the JSON of an empty extra); where it cannot tell, from
 * node-postgres' parsed value by the column's value().
 */
export function rawRowWriter(fields: pg.FieldDef[]): (row: RawRow) => string {
  const names = ['file_id', ...RECORD_CSV_FIELDS.map(([, column]) => column), 'extra'];
  if (fields.map((f) => f.name).join() !== names.join())
    throw new Error(`unexpected export columns: ${fields.map((f) => f.name).join(', ')}`);
  const parsers = fields.map((f) => pg.types.getTypeParser(f.dataTypeID, 'text'));
  const offset = names.indexOf('byte_offset');
  // CSV column c > 0 reads column c; recordId reads file_id and byte_offset.
  const fast: FastField[] = [
    (row) => csvField(`${row[0]}:${row[offset]}`),
    ...RECORD_CSV_FIELDS.map(([name], k) => fastField(fields[k + 1], k + 1, VERBATIM[name])),
    (row) => {
      const extra = row[names.length - 1] as string;
      if (extra === '{}') return '';
      const json = jsonbStringify(extra);
      // What csvField writes of it: quoted, its quotes doubled (it never starts as a formula).
      return json === undefined ? undefined : `"${json.replaceAll('"', '""')}"`;
    },
  ];
  /** CSV column c's field as the column's value() writes it from node-postgres' parsed value. */
  const parsed = (row: RawRow, c: number) => {
    const text = row[c];
    const { value, verbatim } = RECORD_CSV_COLUMNS[c];
    return csvField(value({ [names[c]]: text === null ? null : parsers[c](text) } as ExportRow), verbatim);
  };
  const line: string[] = new Array(fast.length);
  return (row) => {
    for (let c = 0; c < fast.length; c++) line[c] = fast[c](row) ?? parsed(row, c);
    return `${line.join(',')}\r\n`;
  };
}

/** A RawReader over a node-postgres client, for the query's conditions (raw-filters.ts). */
function reader(client: pg.Client): RawReader {
  const $queryRaw = async (query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]) => {
    const sql =
      query instanceof Prisma.Sql ? query : Prisma.sql(query as TemplateStringsArray, ...(values as never[]));
    return (await client.query(sql.text, sql.values as unknown[])).rows;
  };
  return { $queryRaw } as unknown as RawReader;
}

/**
 * Every record of the query, newest first as the explorer lists them, as a CSV stream (RFC 4180,
 * CRLF). The whole export reads one REPEATABLE READ snapshot through a server-side cursor on a
 * connection of its own, so its rows are exactly the records matching at the moment it started,
 * however long the download takes and whatever is ingested meanwhile; memory holds two steps of
 * FETCH_ROWS rows (one written, waiting for the reader, and the next being read: PostgreSQL reads
 * while this process writes). Rows are written from the columns' text (rawRowWriter), the same
 * bytes as from node-postgres' parsed values, ~1.5-1.8x as fast (`npm run bench:export`). The query runs and its first rows are read before this returns: a bad query
 * or an unreachable database is an error the caller answers as such, not an empty file. A failure
 * later ends the stream with an error, so the download breaks off (no file that looks complete but
 * is short).
 */
export async function exportRecords(query: RecordQuery): Promise<ReadableStream<Uint8Array>> {
  if (running >= MAX_EXPORTS) {
    throw new BusyError(`${MAX_EXPORTS} record exports are running; retry when one has finished`);
  }
  running++;
  const client = new pg.Client({
    connectionString: process.env.DATABASE_URL,
    application_name: 'acctscope records export',
  });
  let closed = false;
  const close = async (commit: boolean) => {
    if (closed) return;
    closed = true;
    running--;
    await client
      .query(commit ? 'COMMIT' : 'ROLLBACK')
      .catch(() => {})
      .finally(() => client.end().catch(() => {}));
  };
  // A connection lost mid-stream is reported by the next FETCH; without a listener it would throw.
  client.on('error', () => {});
  const encoder = new TextEncoder();
  const fetch = () =>
    client.query<RawRow>({
      text: `FETCH ${FETCH_ROWS} FROM records_export`,
      rowMode: 'array',
      types: RAW_TEXT,
    });
  let next: Promise<pg.QueryResult<RawRow>>;
  let write: (row: RawRow) => string;
  try {
    await client.connect();
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const where = await recordConditions(reader(client), query);
    const select = Prisma.sql`
      DECLARE records_export NO SCROLL CURSOR FOR
      SELECT ${Prisma.raw(SELECT_COLUMNS)} FROM acct_record r LEFT JOIN acct_file a ON a.id = r.file_id
       WHERE ${Prisma.join(where, ' AND ')}
       ORDER BY r.time_logged DESC, r.file_id DESC, r.byte_offset DESC`;
    await client.query(select.text, select.values as unknown[]);
    const first = await fetch();
    write = rawRowWriter(first.fields);
    next = Promise.resolve(first);
  } catch (error) {
    await close(false);
    throw error;
  }
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(csvHeader(RECORD_CSV_COLUMNS)));
    },
    async pull(controller) {
      try {
        const { rows } = await next;
        // The next step is read while this one is written: PostgreSQL and this process work at
        // once, and memory holds two steps. Its error, if any, is the next pull's.
        if (rows.length === FETCH_ROWS) {
          next = fetch();
          next.catch(() => {});
        }
        if (rows.length) controller.enqueue(encoder.encode(rows.map(write).join('')));
        if (rows.length < FETCH_ROWS) {
          await close(true);
          controller.close();
        }
      } catch (error) {
        await close(false);
        controller.error(error);
      }
    },
    async cancel() {
      await close(false);
    },
  });
}
