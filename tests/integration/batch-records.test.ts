import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../db.ts';
import { followWorker, waitFor } from '../helpers.ts';

// A batch (one transaction) ends at batchRecords records as well as at batchBytes: what it holds
// in memory grows with its records, and short rows put many more of them in the same bytes.

let db: TestDatabase;
let follower: ReturnType<typeof followWorker> | null = null;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await follower?.stop();
  await db?.drop();
});

describe('batch size in records', () => {
  it('writes no batch of more records than the cap and one chunk', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'acct-batch-records-'));
    const rows = ['type,timeLogged,rcpt'];
    for (let i = 0; i < 2000; i++) rows.push(`d,2026-04-02 10:00:00+0000,u${i}@gmail.com`);
    writeFileSync(path.join(dir, 'acct-2026-04-02-0000.csv'), `${rows.join('\n')}\n`);
    // ~45-byte rows: a 2 KiB chunk holds ~45 of them; 100 records end a batch within 3 chunks,
    // where the 1 MiB byte bound alone made the whole file one batch.
    follower = followWorker(db.url, [dir], { chunkBytes: 2048, batchBytes: 1 << 20, batchRecords: 100 });
    await waitFor(
      async () => Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM acct_record'))[0].n),
      (n) => n === 2000,
    );
    // Each batch writes its own hour rollup rows, under its first byte (folded only later).
    const batches = await db.query<{ n: string }>(
      'SELECT sum(n) AS n FROM rollup_hour GROUP BY file_id, batch_offset ORDER BY batch_offset',
    );
    const sizes = batches.map((b) => Number(b.n));
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(2000);
    expect(sizes.length).toBeGreaterThanOrEqual(2000 / (100 + 50));
    expect(Math.max(...sizes)).toBeLessThan(100 + 50);
  });
});
