import { cpSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordType } from '../../lib/acct/types.ts';
import { MIGRATIONS_DIR, migrate } from '../../lib/db/migrate.ts';
import { parseFilters } from '../../lib/filters.ts';
import { getBreakdown } from '../../lib/queries/get-breakdown.ts';
import { getFilterOptions } from '../../lib/queries/get-filter-options.ts';
import { getRecords } from '../../lib/queries/get-records.ts';
import { createTestDatabase, type TestDatabase } from '../db.ts';
import { ingestOnce } from '../helpers.ts';

// PowerMTA may log a pool's name as the VirtualMTA of a received record (vmta = vmtaPool): such a
// record has no VirtualMTA yet. The stats count it under VirtualMTA "(none)" and its pool, the
// records explorer's VirtualMTA filter selects the same records, and migration
// 20261206010000_pool_named_vmta moves the counts of records ingested before the rule.

const MIGRATION = '20261206010000_pool_named_vmta';
const FILE = [
  'type,timeLogged,timeQueued,orig,rcpt,dsnAction,dsnStatus,dsnDiag,bounceCat,dlvSourceIp,vmta,vmtaPool,jobId',
  // Injected into pool-a and pool-b by name, and into one VirtualMTA of pool-a.
  'r,2026-03-02 10:05:10+0000,,o@s.example,a@gmail.com,,,,,,pool-a,pool-a,job-1',
  'r,2026-03-02 10:05:12+0000,,o@s.example,b@yahoo.com,,,,,,pool-a,pool-a,job-1',
  'r,2026-03-02 10:05:20+0000,,o@s.example,c@gmail.com,,,,,,vmta1,pool-a,job-1',
  'r,2026-03-02 10:06:00+0000,,o@s.example,d@gmail.com,,,,,,pool-b,pool-b,job-2',
  'd,2026-03-02 10:10:00+0000,2026-03-02 10:05:10+0000,o@s.example,a@gmail.com,relayed,2.0.0 (success),smtp;250 ok,,192.0.2.1,vmta1,pool-a,job-1',
  'd,2026-03-02 10:11:00+0000,2026-03-02 10:06:00+0000,o@s.example,d@gmail.com,relayed,2.0.0 (success),smtp;250 ok,,192.0.2.2,vmta2,pool-b,job-2',
  'b,2026-03-02 10:12:00+0000,2026-03-02 10:05:12+0000,o@s.example,b@yahoo.com,failed,5.1.1 (bad destination mailbox address),smtp;550 5.1.1 no such user,bad-mailbox,192.0.2.1,vmta1,pool-a,job-1',
].join('\n');

const HOUR = 'from=2026-03-02T10:00:00Z&to=2026-03-02T11:00:00Z';
const filters = (q: string) => parseFilters(new URLSearchParams(q));

/** Every count of a breakdown, as key → type → n (types with 0 left out). */
async function breakdown(q: string, by: 'vmta' | 'pool') {
  const { rows } = await getBreakdown(filters(q), by, 100);
  return Object.fromEntries(
    rows.map((r) => [r.key, Object.fromEntries(Object.entries(r.counts).filter(([, n]) => n > 0))]),
  );
}

async function records(q: string, types: RecordType[] = []): Promise<string[]> {
  const page = await getRecords({ filters: filters(q), types, limit: 100 });
  return page.records.map((r) => `${r.type} ${r.rcpt}`).sort();
}

describe('a pool named as the VirtualMTA', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
    process.env.DATABASE_URL = db.url;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'acct-pool-vmta-'));
    writeFileSync(path.join(dir, 'acct-2026-03-02.csv'), `${FILE}\n`);
    await ingestOnce(db.url, [dir]);
  });

  afterAll(async () => {
    await db?.drop();
  });

  const expectedByVmta = {
    vmta1: { delivered: 1, bounced: 1, received: 1 },
    vmta2: { delivered: 1 },
    '': { received: 3 },
  };

  it('counts it under no VirtualMTA, from every rollup and from raw rows alike', async () => {
    // The hour from the slice rollups; minutes off the minute from raw rows at both edges (the
    // 10:05 minute holds three of the received records).
    expect(await breakdown(HOUR, 'vmta')).toEqual(expectedByVmta);
    expect(await breakdown('from=2026-03-02T10:05:05Z&to=2026-03-02T10:59:59Z', 'vmta')).toEqual(
      expectedByVmta,
    );
    // Filtered by provider: the star rollups.
    expect(await breakdown(`${HOUR}&provider=Google`, 'vmta')).toEqual({
      vmta1: { delivered: 1, received: 1 },
      vmta2: { delivered: 1 },
      '': { received: 2 },
    });
    expect(await db.query(`SELECT DISTINCT vmta FROM acct_dim ORDER BY 1`)).toEqual([
      { vmta: '' },
      { vmta: 'vmta1' },
      { vmta: 'vmta2' },
    ]);
  });

  it('still counts it under its pool', async () => {
    expect(await breakdown(HOUR, 'pool')).toEqual({
      'pool-a': { delivered: 1, bounced: 1, received: 3 },
      'pool-b': { delivered: 1, received: 1 },
    });
  });

  it('offers only VirtualMTAs in the VirtualMTA filter', async () => {
    const { options } = await getFilterOptions(filters(HOUR));
    expect(options.vmta).toEqual(['vmta1', 'vmta2']);
    expect(options.pool).toEqual(['pool-a', 'pool-b']);
  });

  it('lists exactly the records each VirtualMTA count stands for, the raw row as logged', async () => {
    expect(await records(`${HOUR}&vmta=vmta1`)).toEqual(['b b@yahoo.com', 'd a@gmail.com', 'r c@gmail.com']);
    expect(await records(`${HOUR}&vmta=pool-a`)).toEqual([]);
    expect(await records(`${HOUR}&pool=pool-a`, ['r'])).toEqual([
      'r a@gmail.com',
      'r b@yahoo.com',
      'r c@gmail.com',
    ]);
    const logged = await db.query(
      `SELECT vmta, vmta_pool FROM acct_record WHERE rcpt = 'd@gmail.com' AND type = 'r'`,
    );
    expect(logged).toEqual([{ vmta: 'pool-b', vmta_pool: 'pool-b' }]);
  });
});

describe(`migration ${MIGRATION}`, () => {
  let db: TestDatabase;

  beforeAll(async () => {
    // A database at the migration before, holding counts made under the old rule.
    const before = mkdtempSync(path.join(os.tmpdir(), 'acct-migrations-'));
    for (const name of readdirSync(MIGRATIONS_DIR)) {
      if (name !== MIGRATION)
        cpSync(path.join(MIGRATIONS_DIR, name), path.join(before, name), { recursive: true });
    }
    db = await createTestDatabase('acctscope_test', before);
    const dim = async (type: string, domain: string, provider: string, vmta: string, pool: string) =>
      (
        await db.query<{ id: number }>(
          `INSERT INTO acct_dim (type, source, rcpt_domain, provider, vmta, vmta_pool, source_ip, job_id, bounce_cat)
           VALUES ($1, 'h', $2, $3, $4, $5, '', 'job-1', '') RETURNING id`,
          [type, domain, provider, vmta, pool],
        )
      )[0].id;
    const pooled = await dim('r', 'gmail.com', 'Google', 'pool-a', 'pool-a');
    const none = await dim('r', 'gmail.com', 'Google', '', 'pool-a'); // its tuple under the new rule
    const pooledOnly = await dim('r', 'yahoo.com', 'Yahoo', 'pool-a', 'pool-a'); // no such tuple yet
    // A name also logged beside another pool: the slices cannot tell its records apart, so it stays.
    const mixed = await dim('r', 'gmail.com', 'Google', 'pool-z', 'pool-z');
    await dim('d', 'gmail.com', 'Google', 'pool-z', 'other');
    for (const table of ['rollup_minute', 'rollup_hour']) {
      await db.query(
        `INSERT INTO ${table} (bucket, dim_id, file_id, batch_offset, n) VALUES
           ('2026-03-02T10:00:00Z', $1, 1, 100, 2), ('2026-03-02T10:00:00Z', $2, 1, 100, 3),
           ('2026-03-02T10:00:00Z', $2, 1, 200, 10), ('2026-03-02T10:00:00Z', $3, 1, 100, 1),
           ('2026-03-02T10:00:00Z', $4, 1, 100, 7)`,
        [pooled, none, pooledOnly, mixed],
      );
    }
    for (const table of ['rollup_slice_hour', 'rollup_slice_day', 'rollup_slice_month']) {
      await db.query(
        `INSERT INTO ${table} (kind, bucket, key, type, file_id, batch_offset, n) VALUES
           (4, '2026-03-01T00:00:00Z', 'pool-a', 'r', 1, 100, 3), (4, '2026-03-01T00:00:00Z', '', 'r', 1, 100, 13),
           (4, '2026-03-01T00:00:00Z', 'pool-z', 'r', 1, 100, 7), (5, '2026-03-01T00:00:00Z', 'pool-a', 'r', 1, 100, 16)`,
      );
    }
    const insight = (
      await db.query<{ id: number }>(
        `INSERT INTO insight_dim (kind, type, provider, rcpt_domain, vmta, vmta_pool, queue, value)
         VALUES ('dsn', 'r', 'Google', 'gmail.com', 'pool-a', 'pool-a', '', '') RETURNING id`,
      )
    )[0].id;
    await db.query(
      `INSERT INTO rollup_insight_minute (bucket, dim_id, file_id, batch_offset, n) VALUES ('2026-03-02T10:00:00Z', $1, 1, 100, 4)`,
      [insight],
    );
    await db.query(
      `INSERT INTO vmta_ip (source_ip, vmta, vmta_pool, n, first_seen, last_seen) VALUES
         ('192.0.2.1', 'vmta1', 'pool-a', 5, now(), now()), ('192.0.2.1', 'pool-a', 'pool-a', 1, now(), now())`,
    );
    expect(await migrate(db.url)).toEqual([MIGRATION]);
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('moves the star rollups of a pool-named VirtualMTA to none, merging rows of the same batch', async () => {
    for (const table of ['rollup_minute', 'rollup_hour']) {
      const rows = await db.query(
        `SELECT d.rcpt_domain, d.vmta, d.vmta_pool, r.batch_offset::int AS batch, r.n::int AS n
           FROM ${table} r JOIN acct_dim d ON d.id = r.dim_id ORDER BY 1, 2, 3, 4`,
      );
      expect(rows).toEqual([
        { rcpt_domain: 'gmail.com', vmta: '', vmta_pool: 'pool-a', batch: 100, n: 5 },
        { rcpt_domain: 'gmail.com', vmta: '', vmta_pool: 'pool-a', batch: 200, n: 10 },
        { rcpt_domain: 'gmail.com', vmta: 'pool-z', vmta_pool: 'pool-z', batch: 100, n: 7 },
        { rcpt_domain: 'yahoo.com', vmta: '', vmta_pool: 'pool-a', batch: 100, n: 1 },
      ]);
    }
  });

  it('moves the VirtualMTA slices alike and leaves the pool slices', async () => {
    for (const table of ['rollup_slice_hour', 'rollup_slice_day', 'rollup_slice_month']) {
      expect(await db.query(`SELECT kind, key, n::int AS n FROM ${table} ORDER BY kind, key`)).toEqual([
        { kind: 4, key: '', n: 16 },
        { kind: 4, key: 'pool-z', n: 7 },
        { kind: 5, key: 'pool-a', n: 16 },
      ]);
    }
  });

  it('moves the insight rollups and drops a pool from the sending-IP map', async () => {
    expect(
      await db.query(
        `SELECT d.vmta, d.vmta_pool, r.n::int AS n FROM rollup_insight_minute r JOIN insight_dim d ON d.id = r.dim_id`,
      ),
    ).toEqual([{ vmta: '', vmta_pool: 'pool-a', n: 4 }]);
    expect(await db.query(`SELECT vmta, n::int AS n FROM vmta_ip`)).toEqual([{ vmta: 'vmta1', n: 5 }]);
  });
});
