import { appendFileSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../db.ts';
import { ingestOnce } from '../helpers.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

// Two workers reading the same file from the same checkpoint, each with batches in flight: every
// batch either commits where the checkpoint stands or finds it moved (its rows collide with the
// other's, or the offset changed) and is rolled back whole. Every record counts exactly once.
describe('two workers on one file', () => {
  it('count every record once, whichever commits each byte range', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'acct-two-workers-'));
    const file = path.join(dir, 'acct-2026-04-03-0000.csv');
    const line = (i: number) =>
      `d,2026-04-03 ${String(10 + Math.floor(i / 3600)).padStart(2, '0')}:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}+0000,r${i}@gmail.com,vmta${i % 3},${1000 + i}\n`;
    writeFileSync(
      file,
      `type,timeLogged,rcpt,vmta,dlvSize\n${Array.from({ length: 100 }, (_, i) => line(i)).join('')}`,
    );
    const aMinuteAgo = new Date(Date.now() - 60_000);
    utimesSync(file, aMinuteAgo, aMinuteAgo);
    // One worker registers the file (its checkpoint row), then both race over what follows.
    await ingestOnce(db.url, [dir]);
    const total = 6000;
    appendFileSync(file, Array.from({ length: total - 100 }, (_, i) => line(100 + i)).join(''));
    utimesSync(file, aMinuteAgo, aMinuteAgo);
    const small = { chunkBytes: 4096, batchBytes: 16_384, writesInFlight: 2 };
    await Promise.all([ingestOnce(db.url, [dir], small), ingestOnce(db.url, [dir], small)]);
    // A worker that lost a race stops following the file for that run; a last run finishes it.
    await ingestOnce(db.url, [dir]);

    const [{ n, sizes }] = await db.query<{ n: string; sizes: string }>(
      'SELECT count(*) AS n, count(DISTINCT byte_offset) AS offsets, sum(dlv_size) AS sizes FROM acct_record',
    );
    expect(Number(n)).toBe(total);
    expect(Number(sizes)).toBe(Array.from({ length: total }, (_, i) => 1000 + i).reduce((a, b) => a + b));
    const files = await db.query<{ records: string; offset: string; size: string }>(
      'SELECT records, "offset", size FROM acct_file',
    );
    expect(files).toHaveLength(1);
    expect([Number(files[0].records), Number(files[0].offset)]).toEqual([total, Number(files[0].size)]);
    for (const table of ['rollup_minute', 'rollup_hour', 'rollup_slice_hour']) {
      const where = table === 'rollup_slice_hour' ? 'WHERE kind = 0' : '';
      const [{ sum }] = await db.query<{ sum: string }>(`SELECT sum(n) AS sum FROM ${table} ${where}`);
      expect(Number(sum), table).toBe(total);
    }
  }, 60_000);

  it('register a new file once when both discover it at the same moment', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'acct-two-workers-new-'));
    const aMinuteAgo = new Date(Date.now() - 60_000);
    const files = 12;
    const perFile = 300;
    for (let f = 0; f < files; f++) {
      const file = path.join(dir, `acct-2026-04-${String(4 + f).padStart(2, '0')}-0000.csv`);
      const lines = Array.from(
        { length: perFile },
        (_, i) =>
          `d,2026-04-${String(4 + f).padStart(2, '0')} 10:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}+0000,r${i}@yahoo.com,vmta${i % 2},${i}\n`,
      );
      writeFileSync(file, `type,timeLogged,rcpt,vmta,dlvSize\n${lines.join('')}`);
      utimesSync(file, aMinuteAgo, aMinuteAgo);
    }
    // Neither worker has seen these files: both look for a checkpoint row at once.
    await Promise.all([ingestOnce(db.url, [dir]), ingestOnce(db.url, [dir])]);
    await ingestOnce(db.url, [dir]);

    const rows = await db.query<{ path: string; n: string }>(
      'SELECT path, count(*) AS n FROM acct_file WHERE path LIKE $1 GROUP BY path HAVING count(*) > 1',
      [`${dir}/%`],
    );
    expect(rows).toEqual([]);
    const [{ registered }] = await db.query<{ registered: string }>(
      'SELECT count(*) AS registered FROM acct_file WHERE path LIKE $1',
      [`${dir}/%`],
    );
    expect(Number(registered)).toBe(files);
    const mine = `file_id IN (SELECT id FROM acct_file WHERE path LIKE '${dir}/%')`;
    const [{ n }] = await db.query<{ n: string }>(`SELECT count(*) AS n FROM acct_record WHERE ${mine}`);
    expect(Number(n)).toBe(files * perFile);
    for (const table of ['rollup_minute', 'rollup_hour']) {
      const [{ sum }] = await db.query<{ sum: string }>(`SELECT sum(n) AS sum FROM ${table} WHERE ${mine}`);
      expect(Number(sum), table).toBe(files * perFile);
    }
  }, 60_000);
});
