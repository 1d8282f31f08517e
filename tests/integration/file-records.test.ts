import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as records } from '../../app/api/v1/records/route.ts';
import { generateFiles } from '../../ingest/demo/generator.ts';
import { getIngestStatus } from '../../lib/queries/get-ingest-status.ts';
import { parseRecordQuery } from '../../lib/queries/get-records.ts';
import { getRecordsTotal } from '../../lib/queries/get-records-total.ts';
import { createTestDatabase, type TestDatabase } from '../db.ts';
import { apiGet, copyFixtures, ingestOnce } from '../helpers.ts';

// The ingest screen links each file's record count to the records explorer on `fileId` over the
// file's span (acct_file.first_record_at to last_record_at): exactly the records read from it.

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  process.env.DATABASE_URL = db.url;
});

afterAll(async () => {
  await db?.drop();
});

const MINUTE = 60_000;

/** The file's span in whole minutes, as the ingest screen links it. */
function span(first: string, last: string) {
  const from = new Date(Math.floor(Date.parse(first) / MINUTE) * MINUTE).toISOString();
  const to = new Date((Math.floor(Date.parse(last) / MINUTE) + 1) * MINUTE).toISOString();
  return `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
}

describe('the records of one file (fileId)', () => {
  it('are exactly the records read from it: the count, the pages and the CSV', async () => {
    // The fixtures (every quirk, one day) and generated files over three days, all in one folder.
    const dir = copyFixtures('acct-file-records-');
    await generateFiles({ out: dir, records: 6000, days: 3, seed: 21 });
    await ingestOnce(db.url, [dir]);
    const { files } = await getIngestStatus();
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) {
      const [raw] = await db.query<{ n: string; first: Date; last: Date }>(
        'SELECT count(*) AS n, min(time_logged) AS first, max(time_logged) AS last FROM acct_record WHERE file_id = $1',
        [f.id],
      );
      // The file's counter, its raw rows and its first and last record agree.
      expect(Number(raw.n), f.path).toBe(f.records);
      if (f.records === 0) continue;
      expect(f.firstRecordAt, f.path).toBe(raw.first.toISOString());
      expect(f.lastRecordAt, f.path).toBe(raw.last.toISOString());
      const query = `fileId=${f.id}&${span(f.firstRecordAt as string, f.lastRecordAt as string)}`;
      // The explorer's total.
      expect(await getRecordsTotal(parseRecordQuery(new URLSearchParams(query), 50)), f.path).toBe(f.records);
      // Every page, and only this file's records.
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await apiGet(`/api/v1/records?${query}&limit=500${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.status).toBe(200);
        ids.push(...res.body.records.map((r: { id: string }) => r.id));
        cursor = res.body.nextCursor;
      } while (cursor);
      expect(ids.length, f.path).toBe(f.records);
      expect(new Set(ids).size).toBe(f.records);
      for (const id of ids) expect(id.split(':')[0]).toBe(String(f.id));
      // The CSV: a header and one line per record (no field of these spans lines).
      const csv = await records(new NextRequest(`http://localhost/api/v1/records?${query}&format=csv`));
      expect(csv.status).toBe(200);
      const text = await csv.text();
      const lines = text.split('\r\n').filter(Boolean);
      expect(lines.length - 1, f.path).toBe(f.records);
    }
  }, 120_000);

  it('refuses a fileId that is not an id, or given twice', async () => {
    for (const bad of ['0', 'abc', '-1', '1.5', '99999999999', '1&fileId=2']) {
      const res = await apiGet(`/api/v1/records?fileId=${bad}`);
      expect(res.status, bad).toBe(400);
      expect(res.body.error.param, bad).toBe('fileId');
    }
  });
});
