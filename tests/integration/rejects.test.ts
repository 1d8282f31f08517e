import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../db.ts';
import { apiGet, ingestOnce } from '../helpers.ts';

const HEADER = 'type,timeLogged,rcpt,vmta,dlvSourceIp';

let db: TestDatabase;

/** A finished accounting file with `bad` malformed lines (unknown record type) among good ones. */
function writeFile(dir: string, name: string, bad: number) {
  const lines = [HEADER];
  for (let i = 0; i < bad; i++) {
    lines.push(
      `d,2026-01-10 10:00:${String(i % 60).padStart(2, '0')}+0000,ok${i}@gmail.com,vmta1,203.0.113.1`,
    );
    lines.push(`x,2026-01-10 10:05:00+0000,${name}-bad-${i}@example.com,vmta1,203.0.113.1`);
  }
  const file = path.join(dir, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  const aMinuteAgo = new Date(Date.now() - 60_000);
  utimesSync(file, aMinuteAgo, aMinuteAgo);
}

type Page = { rejects: { id: number; text: string; source: string; fileId: number }[]; totalRejects: number };

/** Every page of `query`, following nextCursor. */
async function allPages(query: string) {
  const pages: Page[] = [];
  let cursor: string | null = null;
  do {
    const url = `/api/v1/ingest/rejects?${query}${cursor ? `&cursor=${cursor}` : ''}`;
    const { status, body } = await apiGet(url);
    expect({ url, status }).toEqual({ url, status: 200 });
    pages.push(body);
    cursor = body.nextCursor;
  } while (cursor && pages.length < 100);
  return pages;
}

beforeAll(async () => {
  db = await createTestDatabase('acctscope_e_rejects');
  process.env.DATABASE_URL = db.url;
  const root = mkdtempSync(path.join(os.tmpdir(), 'acct-rejects-'));
  const [one, two] = ['mta1', 'mta2'].map((name) => path.join(root, name));
  for (const dir of [one, two]) mkdirSync(dir);
  writeFile(one, 'acct-2026-01-10-0000.csv', 40);
  writeFile(one, 'acct-2026-01-11-0000.csv', 30);
  writeFile(two, 'acct-2026-01-10-0000.csv', 60);
  await ingestOnce(db.url, [`mta1=${one}`, `mta2=${two}`]);
});

afterAll(async () => {
  await db?.drop();
});

describe('GET /api/v1/ingest/rejects', () => {
  it('pages through every reject once, newest first, with the total on every page', async () => {
    const expected = await db.query<{ id: string; text: string }>(
      'SELECT id, text FROM acct_reject ORDER BY id DESC',
    );
    const [{ n }] = await db.query<{ n: string }>('SELECT count(*) AS n FROM acct_reject');
    expect(Number(n)).toBe(130);
    const pages = await allPages('limit=17');
    expect(pages).toHaveLength(Math.ceil(130 / 17));
    for (const page of pages) {
      expect(page.totalRejects).toBe(130);
      expect(page.rejects.length).toBeLessThanOrEqual(17);
    }
    const listed = pages.flatMap((p) => p.rejects);
    expect(listed.map((r) => [String(r.id), r.text])).toEqual(expected.map((r) => [r.id, r.text]));
    expect(new Set(listed.map((r) => r.id)).size).toBe(130);
    // The default page is 50; the last page says there is nothing after it.
    const first = await apiGet('/api/v1/ingest/rejects');
    expect(first.body.rejects).toHaveLength(50);
    expect((await allPages('limit=130')).map((p) => p.rejects.length)).toEqual([130]);
  });

  it('filters by source and by file, paging the same way', async () => {
    const mta2 = await allPages('source=mta2&limit=25');
    const rows = mta2.flatMap((p) => p.rejects);
    expect(rows).toHaveLength(60);
    expect(mta2.every((p) => p.totalRejects === 60)).toBe(true);
    expect(new Set(rows.map((r) => r.source))).toEqual(new Set(['mta2']));
    const [file] = await db.query<{ id: number }>(
      "SELECT id FROM acct_file WHERE source = 'mta1' AND path LIKE '%acct-2026-01-11-0000.csv'",
    );
    const expected = await db.query<{ id: string }>(
      'SELECT id FROM acct_reject WHERE file_id = $1 ORDER BY id DESC',
      [file.id],
    );
    const ofFile = await allPages(`fileId=${file.id}&limit=7`);
    expect(ofFile.flatMap((p) => p.rejects).map((r) => String(r.id))).toEqual(expected.map((r) => r.id));
    expect(ofFile[0].totalRejects).toBe(30);
    const none = await apiGet('/api/v1/ingest/rejects?source=mta3');
    expect(none.body).toEqual({ rejects: [], totalRejects: 0, nextCursor: null });
  });

  it('keeps its place while new rejects are stored', async () => {
    const first = await apiGet('/api/v1/ingest/rejects?limit=10');
    const [file] = await db.query<{ id: number }>('SELECT id FROM acct_file ORDER BY id LIMIT 1');
    // Stored as the writer stores one: the row and its file's counter, in one transaction.
    await db.query(
      `WITH r AS (INSERT INTO acct_reject (file_id, byte_offset, text, reason)
                  VALUES ($1, 999999, 'late', 'unknown record type') RETURNING file_id)
       UPDATE acct_file SET rejects = rejects + 1 WHERE id = (SELECT file_id FROM r)`,
      [file.id],
    );
    try {
      const next = await apiGet(`/api/v1/ingest/rejects?limit=10&cursor=${first.body.nextCursor}`);
      expect(next.body.totalRejects).toBe(131);
      const expected = await db.query<{ id: string }>(
        'SELECT id FROM acct_reject WHERE id < $1 ORDER BY id DESC LIMIT 10',
        [first.body.rejects.at(-1).id],
      );
      expect(next.body.rejects.map((r: { id: number }) => String(r.id))).toEqual(expected.map((r) => r.id));
    } finally {
      await db.query(
        `WITH r AS (DELETE FROM acct_reject WHERE text = 'late' RETURNING file_id)
         UPDATE acct_file SET rejects = rejects - 1 WHERE id = (SELECT file_id FROM r)`,
      );
    }
  });

  it('answers 400 for a parameter it cannot read', async () => {
    const cursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    for (const [query, param] of [
      ['cursor=nope', 'cursor'],
      [`cursor=${cursor(['0'])}`, 'cursor'],
      [`cursor=${cursor(['99999999999999999999'])}`, 'cursor'],
      [`cursor=${cursor([5])}`, 'cursor'],
      ['limit=0', 'limit'],
      ['limit=1001', 'limit'],
      ['fileId=abc', 'fileId'],
      ['fileId=99999999999', 'fileId'],
      ['fileId=1&fileId=2', 'fileId'],
      ['source=a%00', 'source'],
      ['file=1', 'file'],
    ]) {
      const { status, body } = await apiGet(`/api/v1/ingest/rejects?${query}`);
      expect({ query, status, param: body.error?.param }).toEqual({ query, status: 400, param });
    }
  });
});

describe('GET /api/v1/ingest/status', () => {
  it('gives the 20 newest rejects, the count of all, and the cursor to the rest', async () => {
    const { body } = await apiGet('/api/v1/ingest/status');
    const expected = await db.query<{ id: string }>('SELECT id FROM acct_reject ORDER BY id DESC');
    expect(body.rejectCount).toBe(130);
    expect(body.latestRejects.map((r: { id: number }) => String(r.id))).toEqual(
      expected.slice(0, 20).map((r) => r.id),
    );
    const rest = await apiGet(`/api/v1/ingest/rejects?limit=20&cursor=${body.rejectsNextCursor}`);
    expect(rest.body.rejects.map((r: { id: number }) => String(r.id))).toEqual(
      expected.slice(20, 40).map((r) => r.id),
    );
  });
});
