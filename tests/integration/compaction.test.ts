import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compactRollups } from '../../ingest/compact.ts';
import { closePool, createTestDatabase, type TestDatabase } from '../db.ts';

let db: TestDatabase;
let pool: pg.Pool;
beforeAll(async () => {
  db = await createTestDatabase();
  pool = new pg.Pool({ connectionString: db.url, max: 2 });
  await db.query(
    `INSERT INTO acct_dim (id, type, source, rcpt_domain, provider, vmta, vmta_pool, source_ip, job_id, bounce_cat)
     VALUES (1, 'd', 's', 'gmail.com', 'Google', 'v1', 'p', '1.2.3.4', '', ''),
            (2, 'b', 's', 'gmail.com', 'Google', 'v1', 'p', '1.2.3.4', '', 'bad-mailbox')`,
  );
});
afterAll(async () => {
  await closePool(pool);
  await db.drop();
});

const sums = () =>
  db.query<{ bucket: Date; dim_id: number; n: string; rows: string }>(
    'SELECT bucket, dim_id, SUM(n) AS n, count(*) AS rows FROM rollup_minute GROUP BY 1, 2 ORDER BY 1, 2',
  );

describe('rollup compaction', () => {
  it('folds many rows of a key into one and keeps every sum', async () => {
    // 50 small live batches of file 7, each adding rows for two minutes and two dims.
    for (let b = 0; b < 50; b++) {
      await db.query(
        `INSERT INTO rollup_minute (bucket, dim_id, file_id, batch_offset, n) VALUES
          ('2026-01-01T10:00Z', 1, 7, $1, 2), ('2026-01-01T10:00Z', 2, 7, $1, 1), ('2026-01-01T10:01Z', 1, 7, $1, 3)`,
        [b * 100],
      );
    }
    await db.query(`INSERT INTO rollup_minute VALUES ('2026-01-01T09:00Z', 1, 7, 0, 5)`); // single, older
    const before = await sums();
    await compactRollups(pool, 'rollup_minute', new Date('2026-01-01T09:30Z'));
    const after = await sums();
    expect(after.map((r) => [r.bucket.toISOString(), r.dim_id, Number(r.n)])).toEqual(
      before.map((r) => [r.bucket.toISOString(), r.dim_id, Number(r.n)]),
    );
    expect(after.map((r) => Number(r.rows))).toEqual([1, 1, 1, 1]);
    expect(after.map((r) => Number(r.n))).toEqual([5, 100, 50, 150]);
    // More batches, then another compaction: compacted rows are folded again, still exact.
    await db.query(`INSERT INTO rollup_minute VALUES ('2026-01-01T10:00Z', 1, 7, 99999, 4)`);
    await compactRollups(pool, 'rollup_minute', new Date('2026-01-01T09:30Z'));
    const again = await sums();
    expect(again.map((r) => [Number(r.n), Number(r.rows)])).toEqual([
      [5, 1],
      [104, 1],
      [50, 1],
      [150, 1],
    ]);
  });

  it('folds exactly the buckets it is given', async () => {
    await db.query('TRUNCATE rollup_minute');
    for (let b = 0; b < 3; b++) {
      await db.query(
        `INSERT INTO rollup_minute (bucket, dim_id, file_id, batch_offset, n) VALUES
          ('2026-01-02T10:00Z', 1, 7, $1, 2), ('2026-01-02T10:01Z', 1, 7, $1, 3), ('2026-01-02T10:02Z', 2, 7, $1, 1)`,
        [b * 100],
      );
    }
    const removed = await compactRollups(pool, 'rollup_minute', [
      new Date('2026-01-02T10:00Z'),
      new Date('2026-01-02T10:02Z'),
      new Date('2026-01-02T11:00Z'), // nothing there
    ]);
    expect(removed).toBe(4);
    expect(
      (await sums()).map((r) => [r.bucket.toISOString().slice(11, 16), Number(r.n), Number(r.rows)]),
    ).toEqual([
      ['10:00', 6, 1],
      ['10:01', 9, 3],
      ['10:02', 3, 1],
    ]);
  });
});
