import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hardBounceCategories, resetHardBounceCategories } from '../../lib/acct/bounce-class.ts';
import { getPrisma } from '../../lib/db/client.ts';
import { type FilterParam, type Filters, windowOnly } from '../../lib/filters.ts';
import { Prisma } from '../../lib/generated/prisma/client.ts';
import type { Dimension } from '../../lib/queries/count-query.ts';
import { EXPIRED, getBounceBreakdown } from '../../lib/queries/get-bounces.ts';
import { rawFilterConditions } from '../../lib/queries/raw-filters.ts';
import { createTestDatabase, type TestDatabase } from '../db.ts';
import { fixturesAndGenerated, ingestOnce } from '../helpers.ts';

// The bounces screen's per-slice table: hard, soft and expired per key (one read grouped by bounce
// category) must be the raw records' counts, with and without a category filter, whichever
// categories are hard.

const GEN_END = Date.parse('2026-10-27T00:00:00Z');
const HOUR = 3_600_000;

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase('hb_bounces');
  process.env.DATABASE_URL = db.url;
  const dirs = await fixturesAndGenerated('acct-bounce-breakdown-', {
    records: 15000,
    days: 2,
    end: new Date(GEN_END),
    seed: 11,
  });
  await ingestOnce(db.url, dirs);
}, 180_000);

afterAll(async () => {
  delete process.env.ACCT_HARD_BOUNCE_CATEGORIES;
  resetHardBounceCategories();
  await db?.drop();
});

/** A raw row's key of each dimension, as the stats count it. */
const RAW_KEY: Partial<Record<Dimension, string>> = {
  provider: 'r.provider',
  domain: 'r.rcpt_domain',
  vmta: "COALESCE(NULLIF(r.vmta, r.vmta_pool), '')",
  pool: "COALESCE(r.vmta_pool, '')",
  sourceIp: "COALESCE(r.dlv_source_ip, '')",
  job: "COALESCE(r.job_id, '')",
};

/** Local bounces per key from the raw records: all, hard (categories `hard`), expired. */
async function fromRaw(f: Filters, by: Dimension, hard: string[]) {
  const where = await rawFilterConditions(f, getPrisma());
  const rows = await getPrisma().$queryRaw<{ key: string; bounced: number; hard: number; expired: number }[]>(
    Prisma.sql`SELECT ${Prisma.raw(RAW_KEY[by] ?? '')} AS key, count(*)::int AS bounced,
        (count(*) FILTER (WHERE r.bounce_cat = ANY(${hard}::text[])))::int AS hard,
        (count(*) FILTER (WHERE r.bounce_cat = ${EXPIRED}))::int AS expired
      FROM acct_record r WHERE ${Prisma.join(where, ' AND ')} AND r.type = 'b' GROUP BY 1 ORDER BY 1`,
  );
  return rows.map((r) => ({ ...r, soft: r.bounced - r.hard }));
}

async function expectExact(f: Filters, by: Dimension, what: string) {
  const expected = await fromRaw(f, by, hardBounceCategories());
  expect(expected.some((r) => r.expired > 0) || f.bounceCategory.length > 0, what).toBe(true);
  const { rows } = await getBounceBreakdown(f, by, 100_000);
  expect(
    rows
      .filter((r) => r.bounced > 0)
      .map((r) => ({ key: r.key, bounced: r.bounced, hard: r.hard, expired: r.expired, soft: r.soft }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
    what,
  ).toEqual(
    expected.map((r) => ({ key: r.key, bounced: r.bounced, hard: r.hard, expired: r.expired, soft: r.soft })),
  );
}

describe('bounce breakdown', () => {
  // Whole hours and minute edges, so that both rollup grains are read.
  const window = () => [
    new Date(GEN_END - 40 * HOUR - 17 * 60_000),
    new Date(GEN_END - 3 * HOUR + 23 * 60_000),
  ];
  const sets: Partial<Record<FilterParam, string[]>>[] = [
    {},
    { bounceCategory: [EXPIRED, 'bad-mailbox', 'quota-issues'] },
    { bounceCategory: ['bad-mailbox'] },
    { bounceCategory: [EXPIRED] },
    { provider: ['Google', 'Microsoft'] },
  ];
  const bys: Dimension[] = ['provider', 'domain', 'vmta', 'pool', 'sourceIp', 'job'];

  it('gives each key the hard, soft and expired counts of its raw records', async () => {
    const [from, to] = window();
    for (const set of sets) {
      for (const by of bys) await expectExact(windowOnly(from, to, set), by, `${by} ${JSON.stringify(set)}`);
    }
  }, 120_000);

  it('counts message-expired in both parts when it is configured hard', async () => {
    process.env.ACCT_HARD_BOUNCE_CATEGORIES = `bad-mailbox,${EXPIRED}`;
    resetHardBounceCategories();
    try {
      const [from, to] = window();
      for (const set of sets) {
        for (const by of ['provider', 'vmta'] as const) {
          await expectExact(windowOnly(from, to, set), by, `hard expired, ${by} ${JSON.stringify(set)}`);
        }
      }
    } finally {
      delete process.env.ACCT_HARD_BOUNCE_CATEGORIES;
      resetHardBounceCategories();
    }
  }, 120_000);
});
