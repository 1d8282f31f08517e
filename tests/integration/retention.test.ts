import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PartitionKeeper } from '../../ingest/partitions.ts';
import { createTestDatabase, type TestDatabase } from '../db.ts';

let db: TestDatabase;
let pool: pg.Pool;
beforeAll(async () => {
  db = await createTestDatabase();
  pool = new pg.Pool({ connectionString: db.url, max: 2 });
});
afterAll(async () => {
  await pool.end();
  await db.drop();
});

const DAY = 86_400_000;
const dayNumber = (daysAgo: number) => Math.floor((Date.now() - daysAgo * DAY) / DAY);
const partitions = async () =>
  (
    await db.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'acct_record'::regclass ORDER BY 1`,
    )
  ).map((r) => r.name);

describe('raw partitions', () => {
  it('are created on demand, also for old dates, and dropped past the retention', async () => {
    const keeper = new PartitionKeeper();
    await keeper.ensureDays(pool, [dayNumber(40), dayNumber(31), dayNumber(1), dayNumber(0)]);
    await keeper.ensureDays(pool, [dayNumber(0)]); // idempotent
    expect(await partitions()).toHaveLength(4);
    const name = (daysAgo: number) =>
      `acct_record_p${new Date(dayNumber(daysAgo) * DAY).toISOString().slice(0, 10).replaceAll('-', '')}`;
    const dropped = await keeper.dropOlderThan(pool, 30);
    expect(dropped.sort()).toEqual([name(40), name(31)].sort());
    expect(await partitions()).toEqual([name(1), name(0)].sort());
    // Rows still route to the kept partitions.
    await db.query(
      `INSERT INTO acct_record (time_logged, file_id, byte_offset, source, type, rcpt_domain, provider)
       VALUES (now(), 1, 0, 's', 'd', 'gmail.com', 'Google')`,
    );
  });
});
