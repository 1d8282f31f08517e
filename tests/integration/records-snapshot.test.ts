import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPrisma } from '../../lib/db/client.ts';
import { parseFilters } from '../../lib/filters.ts';
import { getRecords } from '../../lib/queries/get-records.ts';
import { createTestDatabase, type TestDatabase } from '../db.ts';
import { copyFixtures, ingestOnce } from '../helpers.ts';

// A provider's records are found through its domains (acct_dim), read before the raw rows. Records
// committed between the two reads must be listed all or not at all: one of a domain new to the
// provider used to be left out while one of a known domain was listed (a page short of the count).

const FROM = '2026-01-10T10:00:00Z';
const TO = '2026-01-10T11:00:00Z';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  process.env.DATABASE_URL = db.url;
  await ingestOnce(db.url, [copyFixtures('acct-snapshot-')]);
});

afterAll(async () => {
  await db?.drop();
});

async function waitForLockWait(client: pg.Client): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const { rows } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE wait_event_type = 'Lock' AND query LIKE '%FROM acct_record r%' AND pid <> pg_backend_pid()`,
    );
    if (rows[0].n > 0) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('the records query never waited for the lock');
}

describe('records of a provider', () => {
  it('are read in one snapshot with the provider’s domains', async () => {
    const [known] = await getPrisma().$queryRaw<
      { provider: string; domain: string; file_id: number; n: number }[]
    >`
      SELECT provider, min(rcpt_domain) AS domain, min(file_id) AS file_id, count(*)::int AS n FROM acct_record
       WHERE time_logged >= ${new Date(FROM)} AND time_logged < ${new Date(TO)}
       GROUP BY provider ORDER BY count(*) DESC LIMIT 1`;
    expect(known.n).toBeGreaterThan(0);
    const filters = parseFilters(new URLSearchParams(`from=${FROM}&to=${TO}&provider=${known.provider}`));

    // Another session holds the day's partition: the records statement waits for it, after the
    // provider's domains were read, while that session adds records of a known and of a new domain.
    const other = new pg.Client({ connectionString: db.url });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query('LOCK TABLE acct_record_p20260110 IN ACCESS EXCLUSIVE MODE');
      const listing = getRecords({ filters, types: [], limit: 1000 });
      const watcher = new pg.Client({ connectionString: db.url });
      await watcher.connect();
      await waitForLockWait(watcher).finally(() => watcher.end());
      await other.query(
        `INSERT INTO acct_dim (type, source, rcpt_domain, provider, vmta, vmta_pool, source_ip, job_id, bounce_cat)
         VALUES ('d', 'test', 'new-domain.example', $1, '', '', '', '', '')`,
        [known.provider],
      );
      await other.query(
        `INSERT INTO acct_record (time_logged, file_id, byte_offset, source, type, rcpt_domain, provider)
         VALUES ('2026-01-10T10:30:00Z', $1, 1e12, 'test', 'd', $2, $3),
                ('2026-01-10T10:30:00Z', $1, 1e12 + 1, 'test', 'd', 'new-domain.example', $3)`,
        [known.file_id, known.domain, known.provider],
      );
      await other.query('COMMIT');
      const listed = (await listing).records.length;
      // All of them or none: the snapshot is taken before or after the other session's commit.
      expect([known.n, known.n + 2]).toContain(listed);
      // And the next read lists both new records.
      expect((await getRecords({ filters, types: [], limit: 1000 })).records).toHaveLength(known.n + 2);
    } finally {
      await other.end();
    }
  });
});
