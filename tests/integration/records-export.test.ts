import { NextRequest } from 'next/server';
import Papa from 'papaparse';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { GET as recordsRoute } from '../../app/api/v1/records/route.ts';
import { toCsv } from '../../lib/api/csv.ts';
import { parseFilters } from '../../lib/filters.ts';
import {
  exportRecords,
  MAX_EXPORTS,
  RECORD_CSV_COLUMNS,
  RECORD_CSV_FIELDS,
} from '../../lib/queries/export-records.ts';
import type { RecordQuery } from '../../lib/queries/get-records.ts';
import { createTestDatabase, type TestDatabase } from '../db.ts';
import { fixturesAndGenerated, folderWithLines, ingestOnce } from '../helpers.ts';

// GET /api/v1/records?format=csv: every record the explorer lists for a query, all pages, in one
// file. Checked against the JSON pages field by field, and against the raw rows by count.

const END = new Date('2026-03-02T00:00:00Z');
const WINDOW = 'from=2026-01-01T00:00:00Z&to=2026-03-02T00:00:00Z';

let db: TestDatabase;
let sql: pg.Client;

beforeAll(async () => {
  db = await createTestDatabase();
  process.env.DATABASE_URL = db.url;
  // The e2e fixtures (every quirk: header_* columns, quoted commas and line breaks, IDN domains…)
  // and 9,000 generated records over 3 days: more than one step of the export's cursor.
  const dirs = await fixturesAndGenerated('acct-export-', {
    records: 9000,
    days: 3,
    end: END,
    incidents: [],
  });
  await ingestOnce(db.url, dirs);
  sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
}, 120_000);

afterAll(async () => {
  await sql?.end();
  await db?.drop();
});

function request(query: string, headers: Record<string, string> = {}) {
  return recordsRoute(new NextRequest(new URL(`/api/v1/records?${query}`, 'http://localhost'), { headers }));
}

async function csvOf(query: string) {
  const res = await request(query);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  const text = await res.text();
  expect(text.endsWith('\r\n')).toBe(true);
  const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  return { rows: parsed.data, fields: parsed.meta.fields ?? [], res };
}

/** Every page of the JSON API for the query, in order. */
async function jsonPages(query: string) {
  const records: Record<string, unknown>[] = [];
  let cursor: string | null = null;
  do {
    const res = await request(`${query}&limit=500${cursor ? `&cursor=${cursor}` : ''}`);
    const body = await res.json();
    records.push(...body.records);
    cursor = body.nextCursor;
  } while (cursor);
  return records;
}

const text = (v: unknown) => (v === null || v === undefined ? '' : String(v));

describe('records as CSV', () => {
  it('holds every record of the window, in the JSON pages’ order, every field as the JSON gives it', async () => {
    const { rows, fields } = await csvOf(`${WINDOW}&format=csv`);
    const { rows: count } = await sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM acct_record WHERE time_logged >= '2026-01-01Z' AND time_logged < '2026-03-02Z'`,
    );
    expect(count[0].n).toBeGreaterThan(4000);
    expect(rows).toHaveLength(count[0].n);
    expect(fields).toEqual(['recordId', ...RECORD_CSV_FIELDS.map(([name]) => name), 'extra']);

    const json = await jsonPages(WINDOW);
    expect(rows.map((r) => r.recordId)).toEqual(json.map((r) => r.id));
    let extras = 0;
    let quoted = 0;
    for (const [i, row] of rows.entries()) {
      const rec = json[i] as Record<string, unknown> & { file: { path: string; offset: number } };
      for (const [name] of RECORD_CSV_FIELDS) {
        const expected =
          name === 'filePath' ? rec.file.path : name === 'fileOffset' ? rec.file.offset : rec[name];
        // A value a spreadsheet would read as a formula starts with ' (csv.ts).
        if (row[name] !== text(expected)) expect(row[name]).toBe(`'${text(expected)}`);
        if (/[",\n]/.test(text(expected))) quoted++;
      }
      const extra = rec.extra as Record<string, unknown>;
      expect(row.extra).toBe(Object.keys(extra).length ? JSON.stringify(extra) : '');
      if (row.extra) extras++;
    }
    // The fixtures' header_* columns and quoted diagnostics made it through.
    expect(extras).toBeGreaterThan(0);
    expect(quoted).toBeGreaterThan(0);
  });

  it('applies the explorer’s filters: a provider’s deferrals, a diagnostic text, a recipient domain', async () => {
    const { rows: top } = await sql.query<{ provider: string; rcpt_domain: string }>(
      `SELECT provider, rcpt_domain FROM acct_record WHERE type = 't' GROUP BY 1, 2 ORDER BY count(*) DESC LIMIT 1`,
    );
    const { provider, rcpt_domain: domain } = top[0];
    const cases: [string, string, unknown[]][] = [
      [`provider=${encodeURIComponent(provider)}&type=t`, `provider = $1 AND type = 't'`, [provider]],
      ['q=mailbox', `dsn_diag ILIKE '%mailbox%'`, []],
      [`rcpt=${encodeURIComponent(domain)}&type=d,b`, `rcpt_domain = $1 AND type IN ('d', 'b')`, [domain]],
    ];
    for (const [query, where, values] of cases) {
      const { rows } = await csvOf(`${WINDOW}&${query}&format=csv`);
      const { rows: ids } = await sql.query<{ id: string }>(
        `SELECT file_id || ':' || byte_offset AS id FROM acct_record
          WHERE time_logged >= '2026-01-01Z' AND time_logged < '2026-03-02Z' AND ${where}
          ORDER BY time_logged DESC, file_id DESC, byte_offset DESC`,
        values,
      );
      expect(ids.length, query).toBeGreaterThan(0);
      expect(
        rows.map((r) => r.recordId),
        query,
      ).toEqual(ids.map((r) => r.id));
    }
  });

  it('is read in one snapshot: records ingested while it downloads are not in it', async () => {
    const query: RecordQuery = { filters: parseFilters(new URLSearchParams(WINDOW)), types: [], limit: 50 };
    const { rows: before } = await sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM acct_record WHERE time_logged < '2026-03-02Z'`,
    );
    const stream = await exportRecords(query);
    // 40 more records in the window, older than the newest, ingested while the export is open.
    const late = folderWithLines('acct-export-late-', 'acct-late.csv', [
      'type,timeLogged,orig,rcpt',
      ...Array.from(
        { length: 40 },
        (_, i) => `d,2026-02-28 12:00:${String(i).padStart(2, '0')}+0000,a@b.example,late${i}@gmail.com`,
      ),
    ]);
    await ingestOnce(db.url, [late]);
    const { rows: after } = await sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM acct_record WHERE time_logged < '2026-03-02Z'`,
    );
    expect(after[0].n).toBeGreaterThan(before[0].n);
    const body = await new Response(stream).text();
    const parsed = Papa.parse<Record<string, string>>(body, { header: true, skipEmptyLines: true });
    expect(parsed.data).toHaveLength(before[0].n);
    expect(parsed.data.some((r) => r.rcpt.startsWith('late'))).toBe(false);
    // And the next export has them.
    const { rows } = await csvOf(`${WINDOW}&format=csv`);
    expect(rows).toHaveLength(after[0].n);
  });

  it('answers 400 for page parameters, 503 while too many exports run, and frees their connections', async () => {
    for (const param of ['limit=10', 'cursor=abc']) {
      const res = await request(`${WINDOW}&format=csv&${param}`);
      expect(res.status).toBe(400);
      expect((await res.json()).error.param).toBe(param.split('=')[0]);
    }
    // Accept: text/csv asks for the CSV too.
    const accepted = await request(WINDOW, { accept: 'text/csv' });
    expect(accepted.headers.get('content-disposition')).toBe(
      'attachment; filename=records-20260101T0000Z-20260302T0000Z.csv',
    );
    await accepted.body?.cancel();

    const query: RecordQuery = { filters: parseFilters(new URLSearchParams(WINDOW)), types: [], limit: 50 };
    const open = await Promise.all(Array.from({ length: MAX_EXPORTS }, () => exportRecords(query)));
    const busy = await request(`${WINDOW}&format=csv`);
    expect(busy.status).toBe(503);
    expect(busy.headers.get('retry-after')).toBe('5');
    const exports = async () =>
      (
        await sql.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'acctscope records export'`,
        )
      ).rows[0].n;
    expect(await exports()).toBe(MAX_EXPORTS);
    // A client that goes away cancels its stream: the connection closes, a new export may start.
    await Promise.all(open.map((s) => s.cancel()));
    for (let i = 0; i < 100 && (await exports()) > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await exports()).toBe(0);
    const again = await request(`${WINDOW}&format=csv&type=f`);
    expect(again.status).toBe(200);
    await again.text();
  });

  it('writes the bytes csvRow writes from node-postgres’ parsed rows, odd values included, in any session time zone', async () => {
    // What the export wrote before it read the columns' text: SELECT r.*, a.path parsed by
    // node-postgres (Dates, numbers, JSON), each row through csvRow(RECORD_CSV_COLUMNS).
    const reference = async () => {
      const { rows } = await sql.query(
        `SELECT r.*, a.path FROM acct_record r LEFT JOIN acct_file a ON a.id = r.file_id
          WHERE r.time_logged >= '2026-01-01Z' AND r.time_logged < '2026-03-02Z'
          ORDER BY r.time_logged DESC, r.file_id DESC, r.byte_offset DESC`,
      );
      return toCsv(RECORD_CSV_COLUMNS, rows);
    };
    const { rows: file } = await sql.query<{ id: number }>(
      `INSERT INTO acct_file (source, path, dev, ino) VALUES ('odd', '/odd/acct, "odd".csv', '0', '0') RETURNING id`,
    );
    await sql.query(`SELECT acctscope_ensure_partition('2026-01-05')`);
    // time_logged: each fraction PostgreSQL writes (none, 1, 2, 3 digits); time_queued: the
    // years and values a Date reads otherwise; integers below zero; extras JSON.parse rewrites.
    const odd: [string, string | null, number | null, string, string | null, string | null][] = [
      ['10:00:00', null, null, '{}', 'a@b.example', null],
      ['10:00:01.1', 'infinity', -5, '{"a": "x", "10": "first"}', '-news@example.com', '=cmd()'],
      ['10:00:02.12', '-infinity', 0, '{"n": 1.50, "t": true, "o": {"k": [1, "2"]}}', '+1@x.example', 'a\rb'],
      [
        '10:00:03.123',
        '0044-03-15 12:00:00+00 BC',
        7,
        '{"q": "say \\"hi\\"\\n", "u": "ünï\\u0001"}',
        '@x',
        '\tlead',
      ],
      ['10:00:04.5', '0050-01-01 00:00:00.5+00', 2147483647, '{"__proto__": "p", "": ""}', 'x, y', '"q"'],
      ['10:00:05', '10000-01-01 00:00:00+00', -2147483648, '{"a": "b"}', null, '@SUM(1)'],
      ['10:00:06.999', '9999-12-31 23:59:59.999+00', 1, '{"a": "b, c", "d": "e"}', '', '-'],
    ];
    try {
      for (const [i, [time, queued, size, extra, orig, diag]] of odd.entries()) {
        await sql.query(
          `INSERT INTO acct_record (time_logged, file_id, byte_offset, source, type, time_queued, orig,
             rcpt, rcpt_domain, provider, dsn_diag, dlv_size, extra)
           VALUES ($1, $2, $3, 'odd', 'b', $4, $5, $5, 'x.example', 'Other', $6, $7, $8)`,
          [`2026-01-05 ${time}+00`, file[0].id, 1000 * (i + 1), queued, orig, diag, size, extra],
        );
      }
      const expected = await reference();
      expect(expected).toContain('Infinity');
      expect(expected).toContain('"{""10"":""first"",""a"":""x""}"');
      expect(await (await request(`${WINDOW}&format=csv`)).text()).toBe(expected);
      // A server in another zone writes other offsets (+01 in January, +05:30): the text is read
      // as node-postgres reads it, the same bytes again.
      for (const zone of ['Europe/Berlin', 'Asia/Kolkata']) {
        await sql.query(`ALTER DATABASE "${db.name}" SET timezone = '${zone}'`);
        expect(await (await request(`${WINDOW}&format=csv`)).text(), zone).toBe(expected);
      }
    } finally {
      await sql.query(`ALTER DATABASE "${db.name}" RESET timezone`);
      await sql.query(`DELETE FROM acct_record WHERE file_id = $1`, [file[0].id]);
      await sql.query(`DELETE FROM acct_file WHERE id = $1`, [file[0].id]);
    }
  });

  it('reads ahead of a slow reader by one step beside the queued one, and breaks off when its connection is lost', async () => {
    const query: RecordQuery = { filters: parseFilters(new URLSearchParams(WINDOW)), types: [], limit: 50 };
    const query$ = vi.spyOn(pg.Client.prototype, 'query');
    const fetches = () =>
      query$.mock.calls.filter(([q]) => /^FETCH/.test(typeof q === 'string' ? q : (q as pg.QueryConfig).text))
        .length;
    try {
      const reader = (await exportRecords(query)).getReader();
      expect(fetches()).toBe(1);
      // The header, then two steps' rows, read slowly: the third waits in the stream's queue, the
      // fourth is being read, no more (the export holds more than four steps).
      for (let i = 0; i < 3; i++) {
        expect((await reader.read()).done).toBe(false);
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(fetches()).toBe(4);
      // Its connection ends: the download breaks off with an error, not a short file that ends well.
      await sql.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'acctscope records export'`,
      );
      const rest = (async () => {
        while (!(await reader.read()).done);
      })();
      await expect(rest).rejects.toThrow(/terminat|Connection/i);
    } finally {
      query$.mockRestore();
    }
  });

  it('writes the header alone when nothing matches', async () => {
    const res = await request('from=2020-01-01T00:00:00Z&to=2020-01-02T00:00:00Z&format=csv');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(
      `${['recordId', ...RECORD_CSV_FIELDS.map(([name]) => name), 'extra'].join(',')}\r\n`,
    );
  });
});
