import pg from 'pg';
import { type CsvColumn, csvHeader, csvRow, isPlainAddress } from '../api/csv.ts';
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
 * however long the download takes and whatever is ingested meanwhile, and memory holds one step of
 * FETCH_ROWS rows. The query runs and its first rows are read before this returns: a bad query
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
  let first: ExportRow[];
  try {
    await client.connect();
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const where = await recordConditions(reader(client), query);
    const select = Prisma.sql`
      DECLARE records_export NO SCROLL CURSOR FOR
      SELECT r.*, a.path FROM acct_record r LEFT JOIN acct_file a ON a.id = r.file_id
       WHERE ${Prisma.join(where, ' AND ')}
       ORDER BY r.time_logged DESC, r.file_id DESC, r.byte_offset DESC`;
    await client.query(select.text, select.values as unknown[]);
    first = (await client.query<ExportRow>(`FETCH ${FETCH_ROWS} FROM records_export`)).rows;
  } catch (error) {
    await close(false);
    throw error;
  }
  let pending: ExportRow[] | null = first;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(csvHeader(RECORD_CSV_COLUMNS)));
    },
    async pull(controller) {
      try {
        const rows: ExportRow[] =
          pending ?? (await client.query<ExportRow>(`FETCH ${FETCH_ROWS} FROM records_export`)).rows;
        pending = null;
        if (rows.length)
          controller.enqueue(encoder.encode(rows.map((row) => csvRow(RECORD_CSV_COLUMNS, row)).join('')));
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
