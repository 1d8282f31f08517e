import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COUNT_KEYS, type RecordType } from '../../lib/acct/types.ts';
import { getPrisma } from '../../lib/db/client.ts';
import { type FilterParam, type Filters, windowOnly } from '../../lib/filters.ts';
import { Prisma } from '../../lib/generated/prisma/client.ts';
import {
  type DiagnosticRow,
  getTopDiagnostics,
  topDiagnosticsByHour,
} from '../../lib/queries/get-top-diagnostics.ts';
import { rawFilterConditions } from '../../lib/queries/raw-filters.ts';
import { createTestDatabase, type TestDatabase } from '../db.ts';
import { fixturesAndGenerated, ingestOnce } from '../helpers.ts';

// A sending IP's top diagnostics are read mostly from the insight rollups (whole hours where no
// other IP shares its cells), the rest from raw rows: every count, first and last seen must be the
// raw records', over windows with and without edge hours, for every IP and with other filters.

const GEN_END = Date.parse('2026-10-27T00:00:00Z');
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

let db: TestDatabase;
let ips: string[];

beforeAll(async () => {
  db = await createTestDatabase('hb_topdiag');
  process.env.DATABASE_URL = db.url;
  const dirs = await fixturesAndGenerated('acct-topdiag-', {
    records: 20000,
    days: 3,
    end: new Date(GEN_END),
    seed: 7,
  });
  // Small batches, as live tailing writes them: many rollup rows per key, folded at the end.
  await ingestOnce(db.url, dirs, { chunkBytes: 16 << 10, batchBytes: 64 << 10 });
  ips = (
    await db.query<{ ip: string }>(
      `SELECT DISTINCT COALESCE(dlv_source_ip, '') AS ip FROM acct_record WHERE type IN ('b', 't', 'tq', 'rb') ORDER BY 1`,
    )
  ).map((r) => r.ip);
}, 180_000);

afterAll(async () => {
  await db?.drop();
});

interface Expected {
  key: string;
  template: string;
  counts: Record<string, number>;
  total: number;
  firstSeen: string;
  lastSeen: string;
}

/** The slice's diagnosed raw records per template, ordered as the panel orders them. */
async function fromRaw(f: Filters): Promise<Expected[]> {
  const where = await rawFilterConditions(f, getPrisma());
  const rows = await getPrisma().$queryRaw<
    {
      key: string;
      type: RecordType;
      n: number;
      first: Date;
      last: Date;
      template: string | null;
      sample: string;
    }[]
  >(Prisma.sql`
    WITH g AS (SELECT COALESCE(r.diag_key, '') AS key, r.type, count(*)::int AS n,
                      min(r.time_logged) AS first, max(r.time_logged) AS last
                 FROM acct_record r WHERE ${Prisma.join(where, ' AND ')} AND r.type IN ('b', 't', 'tq', 'rb')
                GROUP BY 1, 2),
         t AS (SELECT key, sum(n) AS total FROM g GROUP BY key)
    SELECT g.*, d.template FROM g JOIN t USING (key) LEFT JOIN diag_template d ON d.key = g.key
     ORDER BY t.total DESC, g.key`);
  const byKey = new Map<string, Expected>();
  for (const r of rows) {
    let e = byKey.get(r.key);
    if (!e) {
      e = { key: r.key, template: r.template ?? '', counts: {}, total: 0, firstSeen: '', lastSeen: '' };
      byKey.set(r.key, e);
    }
    e.counts[COUNT_KEYS[r.type]] = r.n;
    e.total += r.n;
    const first = r.first.toISOString();
    const last = r.last.toISOString();
    if (!e.firstSeen || first < e.firstSeen) e.firstSeen = first;
    if (last > e.lastSeen) e.lastSeen = last;
  }
  return [...byKey.values()];
}

/** Whether one of the slice's diagnosed records under `key` has `sample` as its line. */
async function isLineOf(f: Filters, key: string, sample: string): Promise<boolean> {
  const where = await rawFilterConditions(f, getPrisma());
  const rows = await getPrisma().$queryRaw<{ n: number }[]>(Prisma.sql`
    SELECT count(*)::int AS n FROM acct_record r WHERE ${Prisma.join(where, ' AND ')}
       AND r.type IN ('b', 't', 'tq', 'rb') AND COALESCE(r.diag_key, '') = ${key}
       AND COALESCE(r.dsn_diag, '') = ${sample}`);
  return rows[0].n > 0;
}

let split = 0;

function expectRows(rows: DiagnosticRow[], expected: Expected[], what: string) {
  expect(
    rows.map((r) => ({
      key: r.key,
      template: r.template,
      counts: Object.fromEntries(Object.entries(r.counts).filter(([, n]) => n > 0)),
      total: r.total,
      firstSeen: r.firstSeen,
      lastSeen: r.lastSeen,
    })),
    what,
  ).toEqual(expected);
}

/**
 * The panel's rows (read from raw rows on a fixture this small) and the split's (the rollups for
 * any number of records) against the raw records'.
 */
async function expectExact(f: Filters, what: string) {
  const expected = await fromRaw(f);
  const { rows, from, totalRows } = await getTopDiagnostics(f, 1000);
  expect(from, what).toEqual(f.from);
  expectRows(rows, expected, what);
  // How many reasons there are in all, the panel's "Top 10 of N".
  expect(totalRows, what).toBe(expected.length);
  expect((await getTopDiagnostics(f, 3)).totalRows, what).toBe(expected.length);
  const splitResult = await topDiagnosticsByHour(f, 1000, 0);
  if (!splitResult) return;
  split++;
  const splitRows = splitResult.rows;
  expectRows(splitRows, expected, `${what} (split)`);
  expect(splitResult.totalRows, what).toBe(expected.length);
  for (const r of splitRows) {
    expect(r.sampleOf, what).toBe('slice');
    expect(await isLineOf(f, r.key, r.sample), `${what}: sample of ${r.key}`).toBe(true);
  }
  // The panel's top rows are the first of the same order.
  const top = await topDiagnosticsByHour(f, 3, 0);
  expect(
    top?.rows.map((r) => [r.key, r.total]),
    what,
  ).toEqual(expected.slice(0, 3).map((e) => [e.key, e.total]));
  expect(top?.totalRows, what).toBe(expected.length);
}

const WINDOWS: [string, number, number][] = [
  ['three whole days', GEN_END - 3 * DAY, GEN_END],
  ['minute edges', GEN_END - 30 * HOUR - 20 * MINUTE, GEN_END - HOUR - 10 * MINUTE],
  [
    'edges off the second',
    GEN_END - 2 * DAY - 17 * MINUTE - 13 * SECOND,
    GEN_END - 5 * HOUR - 41 * MINUTE + 7250,
  ],
  ['one whole hour', GEN_END - 20 * HOUR, GEN_END - 19 * HOUR],
];

describe('a sending IP’s top diagnostics', () => {
  it('has IPs that share a cell with another IP in some hours only (both halves of the split)', async () => {
    // Per IP: whole hours where another IP's diagnosed records share one of its (type, provider,
    // domain, VirtualMTA, pool) cells, and hours where none do.
    const rows = await db.query<{ ip: string; mixed: number; clean: number }>(
      `WITH c AS (SELECT date_trunc('hour', time_logged, 'UTC') AS h, type, provider, rcpt_domain,
                         COALESCE(NULLIF(vmta, vmta_pool), '') AS vmta, COALESCE(vmta_pool, '') AS pool,
                         COALESCE(dlv_source_ip, '') AS ip
                    FROM acct_record WHERE type IN ('b', 't', 'tq', 'rb')),
            hours AS (SELECT a.ip, a.h, bool_or(EXISTS (SELECT 1 FROM c b WHERE b.h = a.h AND b.type = a.type
                        AND b.provider = a.provider AND b.rcpt_domain = a.rcpt_domain AND b.vmta = a.vmta
                        AND b.pool = a.pool AND b.ip <> a.ip)) AS mixed
                        FROM c a GROUP BY 1, 2)
       SELECT ip, count(*) FILTER (WHERE mixed)::int AS mixed, count(*) FILTER (WHERE NOT mixed)::int AS clean
         FROM hours GROUP BY ip`,
    );
    expect(rows.some((r) => r.mixed > 0 && r.clean > r.mixed)).toBe(true);
    expect(rows.filter((r) => r.clean > 0).length).toBeGreaterThan(5);
  });

  it('counts exactly the raw records of every IP, over windows with and without edge hours', async () => {
    expect(ips.length).toBeGreaterThan(5);
    for (const [name, from, to] of WINDOWS) {
      for (const ip of ips) {
        await expectExact(
          windowOnly(new Date(from), new Date(to), { sourceIp: [ip] }),
          `${name}, ${ip || '(none)'}`,
        );
      }
    }
    // Nearly every IP was split ((none), whose records share most cells, is scanned).
    expect(split).toBeGreaterThan(WINDOWS.length * (ips.length - 3));
  }, 120_000);

  it('counts exactly with other filters beside the IP, and two IPs at once', async () => {
    const [from, to] = [GEN_END - 3 * DAY, GEN_END];
    const values = async (col: string) =>
      (
        await db.query<{ v: string }>(
          `SELECT ${col} AS v FROM acct_record WHERE ${col} IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 2`,
        )
      ).map((r) => r.v);
    const sets: Partial<Record<FilterParam, string[]>>[] = [
      { domain: await values('rcpt_domain') },
      { provider: (await values('provider')).slice(0, 1) },
      { vmta: (await values('vmta')).slice(0, 1) },
      { pool: (await values('vmta_pool')).slice(0, 1) },
      { job: (await values('job_id')).slice(0, 1) },
      { bounceCategory: (await values('bounce_cat')).slice(0, 1) },
    ];
    for (const ip of ips.filter((v) => v !== '').slice(0, 3)) {
      for (const set of sets) {
        await expectExact(
          windowOnly(new Date(from), new Date(to), { ...set, sourceIp: [ip] }),
          `${ip} ${JSON.stringify(set)}`,
        );
      }
    }
    await expectExact(windowOnly(new Date(from), new Date(to), { sourceIp: ips.slice(0, 2) }), 'two IPs');
  }, 120_000);
});
