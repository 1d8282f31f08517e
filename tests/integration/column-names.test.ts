import { NextRequest } from 'next/server';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as recordsRoute } from '../../app/api/v1/records/route.ts';
import { createTestDatabase, type TestDatabase } from '../db.ts';
import { apiGet, folderWithLines, ingestOnce } from '../helpers.ts';

// Column names that are not plain words: each unknown column is kept in `extra` under its name,
// in the database, the records API and the CSV export, and the records under it count.

const WINDOW = 'from=2026-06-01T00:00:00Z&to=2026-06-02T00:00:00Z';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  process.env.DATABASE_URL = db.url;
});
afterAll(async () => {
  await db?.drop();
});

/** The records of `rcptDomain` as the JSON API and the CSV export give them, by recipient. */
async function extraByRcpt(rcptDomain: string) {
  const { status, body } = await apiGet(`/api/v1/records?${WINDOW}&domain=${rcptDomain}&limit=100`);
  expect(status).toBe(200);
  const json = Object.fromEntries(
    (body.records as { rcpt: string; extra: unknown }[]).map((r) => [r.rcpt, r.extra]),
  );
  const res = await recordsRoute(
    new NextRequest(new URL(`/api/v1/records?${WINDOW}&domain=${rcptDomain}&format=csv`, 'http://localhost')),
  );
  expect(res.status).toBe(200);
  const rows = Papa.parse<string[]>(await res.text(), { skipEmptyLines: true }).data;
  const [head, ...data] = rows;
  const csv = Object.fromEntries(
    data.map((r) => [r[head.indexOf('rcpt')], JSON.parse(r[head.indexOf('extra')] || '{}')]),
  );
  return { json, csv };
}

describe('a column name holding a NUL byte', () => {
  it('is kept in extra with the NUL shown as ␀, and its records count', async () => {
    const dir = folderWithLines('acct-nul-name-', 'acct-2026-06-01-0000.csv', [
      'type,timeLogged,rcpt,vmta,bad\0name,ok',
      'd,2026-06-01 10:00:00+0000,n1@nul.example,vmta1,v1,o1',
      'b,2026-06-01 10:00:01+0000,n2@nul.example,vmta1,,o2',
      'd,2026-06-01 10:00:02+0000,n3@nul.example,vmta1,v3,',
    ]);
    const progress = await ingestOnce(db.url, [dir]);
    expect(progress).toMatchObject({ records: 3, rejects: 0 });
    const rows = await db.query<{ rcpt: string; extra: Record<string, string> }>(
      `SELECT rcpt, extra FROM acct_record WHERE rcpt_domain = 'nul.example' ORDER BY rcpt`,
    );
    expect(rows).toEqual([
      { rcpt: 'n1@nul.example', extra: { 'bad␀name': 'v1', ok: 'o1' } },
      { rcpt: 'n2@nul.example', extra: { ok: 'o2' } },
      { rcpt: 'n3@nul.example', extra: { 'bad␀name': 'v3' } },
    ]);
    const [file] = await db.query<{ header: string[] }>(
      `SELECT header FROM acct_file WHERE path LIKE '%acct-nul-name-%'`,
    );
    expect(file.header).toEqual(['type', 'timeLogged', 'rcpt', 'vmta', 'bad␀name', 'ok']);
    const { json, csv } = await extraByRcpt('nul.example');
    expect(json['n1@nul.example']).toEqual({ 'bad␀name': 'v1', ok: 'o1' });
    expect(csv['n3@nul.example']).toEqual({ 'bad␀name': 'v3' });

    await ingestOnce(db.url, [dir]);
    const [{ n }] = await db.query<{ n: string }>(
      `SELECT count(*) AS n FROM acct_record WHERE rcpt_domain = 'nul.example'`,
    );
    expect(Number(n)).toBe(3);
    expect(await db.query('SELECT text FROM acct_reject')).toEqual([]);
  });
});

describe("columns named like Object.prototype's properties", () => {
  it('are kept in extra like any unknown column: in the database, the records API and the CSV export', async () => {
    const names = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];
    const dir = folderWithLines('acct-proto-names-', 'acct-2026-06-01-0000.csv', [
      `type,timeLogged,rcpt,vmta,${names.join(',')}`,
      'd,2026-06-01 11:00:00+0000,p1@proto.example,vmta1,P1,C1,T1,H1,V1,G1',
      'd,2026-06-01 11:00:01+0000,p2@proto.example,vmta1,P2,,,,,',
      'd,2026-06-01 11:00:02+0000,p3@proto.example,vmta1,,C3,T3,,,',
      // A row longer than its header: the surplus value after a __proto__ column is kept too.
      'd,2026-06-01 11:00:03+0000,p4@proto.example,vmta1,P4,,,,,,S4',
    ]);
    const progress = await ingestOnce(db.url, [dir]);
    expect(progress).toMatchObject({ records: 4, rejects: 0 });
    const want: Record<string, Record<string, string>> = {
      'p1@proto.example': Object.fromEntries(names.map((n, i) => [n, `${'PCTHVG'[i]}1`])),
      'p2@proto.example': JSON.parse('{"__proto__":"P2"}'),
      'p3@proto.example': { constructor: 'C3', toString: 'T3' },
      'p4@proto.example': JSON.parse('{"__proto__":"P4","_col10":"S4"}'),
    };
    // JSON.parse and Object.fromEntries make `__proto__` an own key, as the expectation needs.
    expect(Object.keys(want['p2@proto.example'])).toEqual(['__proto__']);
    const rows = await db.query<{ rcpt: string; extra: string }>(
      `SELECT rcpt, extra::text FROM acct_record WHERE rcpt_domain = 'proto.example' ORDER BY rcpt`,
    );
    expect(Object.fromEntries(rows.map((r) => [r.rcpt, JSON.parse(r.extra)]))).toEqual(want);
    const [{ n }] = await db.query<{ n: string }>(
      `SELECT count(*) AS n FROM acct_record WHERE extra ? '__proto__'`,
    );
    expect(Number(n)).toBe(3);
    const { json, csv } = await extraByRcpt('proto.example');
    expect(json).toEqual(want);
    expect(csv).toEqual(want);
    for (const got of [json, csv]) expect(Object.keys(got['p2@proto.example'])).toEqual(['__proto__']);
  });
});
