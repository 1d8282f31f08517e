import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../db.ts';
import { followWorker, waitFor } from '../helpers.ts';

// Connections cut while batches are written (a failover, a proxy restart, an administrator's
// pg_terminate_backend): a following worker must retry, not die, and count every record once.
// Before the fix, a client checked out of the pool had no 'error' listener, and its connection's
// end crashed the process with an unhandled 'error' event.

let db: TestDatabase;
let dir: string;

beforeAll(async () => {
  db = await createTestDatabase('acctscope_connloss');
  dir = mkdtempSync(path.join(os.tmpdir(), 'acct-connloss-'));
}, 60_000);

afterAll(async () => {
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});

const line = (i: number) =>
  `d,2026-05-01 10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}+0000,u${i}@gmail.com,vmta${i % 7},pool-${i % 3},${'x'.repeat(200)}\n`;

it('retries through connections cut mid-batch and counts every record once', async () => {
  const file = path.join(dir, 'acct-2026-05-01-0000.csv');
  writeFileSync(file, 'type,timeLogged,rcpt,vmta,vmtaPool,envId\n');
  const admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
  const unhandled: unknown[] = [];
  const onError = (error: unknown) => unhandled.push(error);
  process.on('uncaughtException', onError);
  // Small batches, so that many transactions are in flight while connections are cut.
  const follower = followWorker(db.url, [dir], { batchBytes: 64 << 10 });
  let written = 0;
  let cuts = 0;
  try {
    for (let round = 0; round < 12; round++) {
      let text = '';
      for (let k = 0; k < 2_000; k++) text += line(written++);
      appendFileSync(file, text);
      // Let the worker start writing, then cut every connection but ours.
      await new Promise((r) => setTimeout(r, 40 + round * 15));
      const { rowCount } = await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE datname = current_database() AND pid <> pg_backend_pid()`,
      );
      cuts += rowCount ?? 0;
    }
    const count = async () => Number((await admin.query('SELECT count(*) AS n FROM acct_record')).rows[0].n);
    await waitFor(count, (n) => n >= written, 60_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(await count()).toBe(written);
    const distinct = await admin.query('SELECT count(DISTINCT rcpt) AS n FROM acct_record');
    expect(Number(distinct.rows[0].n)).toBe(written);
    const delivered = await admin.query(
      `SELECT sum(r.n) AS n FROM rollup_hour r JOIN acct_dim d ON d.id = r.dim_id WHERE d.type = 'd'`,
    );
    expect(Number(delivered.rows[0].n)).toBe(written);
    expect(cuts).toBeGreaterThan(0);
    expect(unhandled).toEqual([]);
  } finally {
    process.off('uncaughtException', onError);
    await follower.stop();
    await admin.end();
  }
}, 120_000);
