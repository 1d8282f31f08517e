import { readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compactRollups, IndexKeeper, indexSize, ROLLUP_TABLES } from '../../ingest/compact.ts';
import type { RecordType } from '../../lib/acct/types.ts';
import { getPrisma } from '../../lib/db/client.ts';
import { type Filters, windowOnly } from '../../lib/filters.ts';
import { Prisma } from '../../lib/generated/prisma/client.ts';
import { zoneAllowsHourRollups } from '../../lib/queries/buckets.ts';
import {
  buildCountQuery,
  type CountQuery,
  type CountRow,
  DIMENSIONS,
  type Dimension,
} from '../../lib/queries/count-query.ts';
import { getRecords } from '../../lib/queries/get-records.ts';
import { splitTimeRange } from '../../lib/queries/time-segments.ts';
import { createTestDatabase, type TestDatabase } from '../db.ts';
import { fixturesAndGenerated, foldScratchKey, ingestOnce } from '../helpers.ts';

// The slice rollups (bucket × type × one dimension) against the star rollups (bucket × whole
// dimension tuple) and the raw rows: every query shape the stats endpoints build from at most one
// dimension must give the same rows from both, over windows with minute and sub-minute edges,
// hour and day buckets, UTC and non-UTC zones, and complaints attributed through the sending IP.

const GEN_END = new Date('2026-03-04T00:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  process.env.DATABASE_URL = db.url;
  const dirs = await fixturesAndGenerated('acct-slices-', {
    records: 9000,
    days: 3,
    end: GEN_END,
    seed: 5,
    layout: 'full',
  });
  // Small batches: many rollup rows per key, as live tailing writes them; each batch gathers
  // several chunks, whose counts are summed per key before they are written.
  await ingestOnce(db.url, dirs, { chunkBytes: 12 << 10, batchBytes: 48 << 10 });
}, 120_000);

afterAll(async () => {
  await db?.drop();
});

const sortRows = (rows: CountRow[]) =>
  rows
    .map((r) => `${r.k ?? '∅'}|${r.b?.toISOString() ?? '∅'}|${r.type}|${r.n}`)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

async function run(q: CountQuery): Promise<string[]> {
  return sortRows(await getPrisma().$queryRaw<CountRow[]>(buildCountQuery(q)));
}

const iso = (ms: number) => new Date(ms).toISOString();
/** Windows: 3 days with sub-minute edges (day rows in the middle), a whole UTC day, a day across
 * midnight with minute edges, 2 h with sub-minute edges, the fixtures' hour, two months, and
 * months mostly inside the window. */
const WINDOWS: [number, number][] = [
  [GEN_END.getTime() - 3 * DAY + 7_777, GEN_END.getTime() - 1_234],
  [GEN_END.getTime() - 2 * DAY, GEN_END.getTime() - DAY],
  [GEN_END.getTime() - 1.5 * DAY + 17 * 60_000, GEN_END.getTime() - 0.5 * DAY - 43 * 60_000],
  [GEN_END.getTime() - 5 * HOUR + 13_500, GEN_END.getTime() - 3 * HOUR - 59_000],
  [Date.parse('2026-01-10T10:00:00Z'), Date.parse('2026-01-10T11:00:00Z')],
  // Whole UTC months inside (January holds the fixtures, February nothing) between day edges.
  [Date.parse('2025-12-30T22:13:07.5Z'), GEN_END.getTime() - 1.5 * DAY],
  // Months mostly inside, read as the month minus the days outside: March minus its 1st and 2nd
  // (which hold records: values seen only then must cancel out, not show as 0) and its 31st;
  // January minus its first three days.
  [Date.parse('2026-03-02T05:17:00Z'), Date.parse('2026-03-31T00:00:00Z')],
  [Date.parse('2026-01-04T00:00:00Z'), GEN_END.getTime() - 0.75 * DAY],
];

const DIMS = Object.keys(DIMENSIONS) as Dimension[];

/** The most frequent non-empty value of a dimension in a window (as a user would filter by). */
async function commonest(dim: Dimension, from: number, to: number): Promise<string | null> {
  const rows = await getPrisma().$queryRaw<CountRow[]>(
    buildCountQuery({
      filters: windowOnly(new Date(from), new Date(to)),
      groupBy: dim,
      allowHourRollups: true,
    }),
  );
  const totals = new Map<string, number>();
  for (const r of rows) if (r.k) totals.set(r.k, (totals.get(r.k) ?? 0) + Number(r.n));
  return [...totals].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
}

function shapes(
  filters: Filters,
  dim: Dimension | null,
  value: string | null,
): Omit<CountQuery, 'allowHourRollups'>[] {
  const out: Omit<CountQuery, 'allowHourRollups'>[] = [];
  const filtered = dim && value ? { ...filters, [dim]: [value] } : null;
  const buckets: CountQuery['bucket'][] = [
    undefined,
    { unit: 'hour', tz: 'UTC' },
    { unit: 'day', tz: 'UTC' },
    { unit: 'day', tz: 'America/New_York' },
    { unit: 'hour', tz: 'Asia/Kolkata' },
  ];
  for (const bucket of buckets) {
    if (dim) out.push({ filters, groupBy: dim, bucket });
    if (filtered)
      out.push({ filters: filtered, bucket }, { filters: filtered, groupBy: dim ?? undefined, bucket });
    if (!dim) out.push({ filters, bucket });
  }
  return out;
}

describe('slice rollups', () => {
  it('were written: every kind at hour and day grain, all records and providers at minute grain', async () => {
    const kinds = await db.query<{ t: string; kinds: number[] }>(
      `SELECT t, kinds FROM (
         SELECT 1 AS i, 'minute' AS t, array_agg(DISTINCT kind ORDER BY kind) AS kinds FROM rollup_slice_minute
         UNION ALL SELECT 2, 'hour', array_agg(DISTINCT kind ORDER BY kind) FROM rollup_slice_hour
         UNION ALL SELECT 3, 'day', array_agg(DISTINCT kind ORDER BY kind) FROM rollup_slice_day
         UNION ALL SELECT 4, 'month', array_agg(DISTINCT kind ORDER BY kind) FROM rollup_slice_month) g
       ORDER BY i`,
    );
    expect(kinds).toEqual([
      { t: 'minute', kinds: [0, 3] },
      { t: 'hour', kinds: [0, 1, 2, 3, 4, 5, 6, 7, 8] },
      { t: 'day', kinds: [0, 1, 2, 3, 4, 5, 6, 7, 8] },
      { t: 'month', kinds: [0, 1, 2, 3, 4, 5, 6, 7, 8] },
    ]);
    // Each kind partitions every record once.
    const [{ records }] = await db.query<{ records: string }>('SELECT count(*) AS records FROM acct_record');
    const perKind = await db.query<{ kind: number; n: string }>(
      'SELECT kind, sum(n) AS n FROM rollup_slice_day GROUP BY kind ORDER BY kind',
    );
    expect(perKind.map((r) => Number(r.n))).toEqual(Array(9).fill(Number(records)));
    const perKindMonth = await db.query<{ kind: number; n: string }>(
      'SELECT kind, sum(n) AS n FROM rollup_slice_month GROUP BY kind ORDER BY kind',
    );
    expect(perKindMonth.map((r) => Number(r.n))).toEqual(Array(9).fill(Number(records)));
  });

  it('answer every one-dimension query exactly as the star rollups do', async () => {
    let compared = 0;
    for (const [from, to] of WINDOWS) {
      const filters = windowOnly(new Date(from), new Date(to));
      for (const dim of [null, ...DIMS]) {
        const value = dim ? await commonest(dim, from, to) : null;
        for (const shape of shapes(filters, dim, value)) {
          const allowHourRollups =
            !shape.bucket || zoneAllowsHourRollups(shape.filters.from, shape.filters.to, shape.bucket.tz);
          const q = { ...shape, allowHourRollups };
          const slice = await run(q);
          const star = await run({ ...q, star: true });
          expect({
            window: [iso(from), iso(to)],
            dim,
            shape: JSON.stringify(shape.bucket),
            rows: slice,
          }).toEqual({
            window: [iso(from), iso(to)],
            dim,
            shape: JSON.stringify(shape.bucket),
            rows: star,
          });
          if (slice.length > 0) compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(200);
    // The windows do exercise months and days read whole minus their days or hours outside the window.
    const negated = WINDOWS.filter(([from, to]) =>
      splitTimeRange(new Date(from), new Date(to), { allowHour: true, allowMonth: true }).some(
        (s) => s.negate,
      ),
    );
    expect(negated.length).toBe(3);
  }, 120_000);

  it('read minute edges from the star rollups where raw rows may be gone (RAW_RETENTION_DAYS)', async () => {
    // The generated days lie beyond a 30-day retention: edges of every kind without minute slices
    // must come from rollup_minute, and still agree.
    process.env.RAW_RETENTION_DAYS = '30';
    try {
      for (const [from, to] of WINDOWS.slice(2, 4)) {
        const filters = windowOnly(new Date(from), new Date(to));
        for (const dim of ['domain', 'vmta', 'job'] as const) {
          const q = { filters, groupBy: dim, allowHourRollups: true };
          const sql = buildCountQuery(q);
          expect(sql.text).toContain('rollup_minute');
          expect(await run(q)).toEqual(await run({ ...q, star: true }));
        }
      }
    } finally {
      delete process.env.RAW_RETENTION_DAYS;
    }
    const kept = buildCountQuery({
      filters: windowOnly(new Date(WINDOWS[2][0]), new Date(WINDOWS[2][1])),
      groupBy: 'domain',
      allowHourRollups: true,
    });
    expect(kept.text).not.toContain('rollup_minute');
  });

  it('count complaints by VirtualMTA through the sending IP, like the star query', async () => {
    const [from, to] = WINDOWS[0];
    const rows = await run({
      filters: windowOnly(new Date(from), new Date(to)),
      groupBy: 'vmta',
      allowHourRollups: true,
    });
    const complaints = rows.filter((r) => r.split('|')[2] === 'f');
    // Complaints land on real VirtualMTAs (the generator's f rows carry only the IP; key '' = none).
    expect(complaints.filter((r) => !r.startsWith('|')).length).toBeGreaterThan(0);
    const [{ n }] = await db.query<{ n: string }>(
      `SELECT count(*) AS n FROM acct_record WHERE type = 'f' AND time_logged >= $1 AND time_logged < $2`,
      [iso(from), iso(to)],
    );
    expect(complaints.reduce((s, r) => s + Number(r.split('|')[3]), 0)).toBe(Number(n));
  });

  it('leave the star query of one pool reading only the hour rows of its own tuples', async () => {
    // A pool's page broken down by VirtualMTA (two dimensions: the star rollups). The rows the plan
    // reads from rollup_hour must be exactly those of the tuples that count under the pool (a
    // complaint's through its sending IP): a plan that reads the window's every hour row and
    // filters after the join grows with all the traffic, not the pool's (~2 s at 7 days, 2M records).
    const [from, to] = WINDOWS[0];
    const pool = await commonest('pool', from, to);
    expect(pool).not.toBeNull();
    const filters = { ...windowOnly(new Date(from), new Date(to)), pool: [pool as string] };
    const hours = splitTimeRange(filters.from, filters.to, { allowHour: true }).filter(
      (s) => s.table === 'hour',
    );
    expect(hours.length).toBe(1);
    const [{ own, all }] = await db.query<{ own: string; all: string }>(
      `WITH m AS (SELECT DISTINCT ON (source_ip) source_ip, vmta_pool FROM vmta_ip ORDER BY source_ip, n DESC, vmta, vmta_pool)
       SELECT count(*) FILTER (WHERE CASE WHEN d.type = 'f' THEN COALESCE(m.vmta_pool, '') ELSE d.vmta_pool END = $3) AS own,
              count(*) AS all
         FROM rollup_hour r JOIN acct_dim d ON d.id = r.dim_id LEFT JOIN m ON m.source_ip = d.source_ip
        WHERE r.bucket >= $1 AND r.bucket < $2`,
      [hours[0].from.toISOString(), hours[0].to.toISOString(), pool],
    );
    expect(Number(own)).toBeGreaterThan(0);
    expect(Number(own)).toBeLessThan(Number(all) / 2);
    const plan = await getPrisma().$transaction(async (tx) => {
      // On this small database whole-table scans and hash joins cost nothing and would be chosen:
      // without them the planner picks among index plans, as it does at realistic sizes.
      await tx.$executeRawUnsafe('SET LOCAL enable_seqscan = off');
      await tx.$executeRawUnsafe('SET LOCAL enable_bitmapscan = off');
      await tx.$executeRawUnsafe('SET LOCAL enable_hashjoin = off');
      await tx.$executeRawUnsafe('SET LOCAL enable_mergejoin = off');
      const sql = buildCountQuery({ filters, groupBy: 'vmta', allowHourRollups: true });
      const [row] = await tx.$queryRaw<{ 'QUERY PLAN': unknown }[]>(
        Prisma.sql`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`,
      );
      return row['QUERY PLAN'];
    });
    // The rows out of the hour segment (an Append branch): EXPLAIN's per-loop rows of the index
    // scan inside a nested loop are rounded averages, the branch's own are exact (one loop).
    type Node = Record<string, unknown> & { Plans?: Node[] };
    const reads = (node: Node): boolean =>
      node['Relation Name'] === 'rollup_hour' || (node.Plans ?? []).some(reads);
    let read = 0;
    const indexes: unknown[] = [];
    const walk = (node: Node) => {
      if (node['Relation Name'] === 'rollup_hour') indexes.push(node['Index Name']);
      const branch = node['Node Type'] === 'Subquery Scan' && reads(node);
      if (branch && !(node.Plans ?? []).some((c) => c['Node Type'] === 'Subquery Scan' && reads(c))) {
        read += Number(node['Actual Rows']) * Number(node['Actual Loops']);
      }
      for (const child of node.Plans ?? []) walk(child);
    };
    walk((plan as { Plan: Node }[])[0].Plan);
    expect(read).toBe(Number(own));
    // … found by tuple, not filtered out of the window's rows: through an index led by dim_id.
    expect(indexes.length).toBeGreaterThan(0);
    for (const name of indexes) {
      const [{ def }] = await db.query<{ def: string }>(
        'SELECT indexdef AS def FROM pg_indexes WHERE indexname = $1',
        [String(name)],
      );
      expect(def).toMatch(/\(dim_id, bucket\)/);
    }
  });

  it('equal the raw rows per value of each plain dimension', async () => {
    const [from, to] = WINDOWS[0];
    for (const dim of DIMS.filter((d) => d !== 'vmta' && d !== 'pool')) {
      const slice = await run({
        filters: windowOnly(new Date(from), new Date(to)),
        groupBy: dim,
        allowHourRollups: true,
      });
      const col = DIMENSIONS[dim] === 'source_ip' ? 'dlv_source_ip' : DIMENSIONS[dim];
      const raw = await db.query<CountRow>(
        `SELECT COALESCE(${col}, '') AS k, NULL::timestamptz AS b, type, count(*)::int8 AS n FROM acct_record
          WHERE time_logged >= $1 AND time_logged < $2 GROUP BY 1, 3`,
        [iso(from), iso(to)],
      );
      expect({ dim, rows: slice }).toEqual({ dim, rows: sortRows(raw) });
    }
  });

  it('bucket counts exactly as the raw rows are bucketed, in UTC and in other zones', async () => {
    const buckets: NonNullable<CountQuery['bucket']>[] = [
      { unit: 'minute', tz: 'UTC' },
      { unit: 'minute', tz: 'Asia/Kolkata' },
      { unit: 'hour', tz: 'UTC' },
      { unit: 'hour', tz: 'America/New_York' },
      { unit: 'hour', tz: 'Asia/Kolkata' },
      { unit: 'day', tz: 'UTC' },
      { unit: 'day', tz: 'America/New_York' },
    ];
    let compared = 0;
    for (const [from, to] of WINDOWS.slice(0, 5)) {
      for (const bucket of buckets) {
        for (const dim of [null, 'domain', 'provider'] as const) {
          const rows = await run({
            filters: windowOnly(new Date(from), new Date(to)),
            groupBy: dim ?? undefined,
            bucket,
            allowHourRollups:
              bucket.unit !== 'minute' && zoneAllowsHourRollups(new Date(from), new Date(to), bucket.tz),
          });
          const k = dim ? `COALESCE(${DIMENSIONS[dim]}, '')` : 'NULL::text';
          const raw = await db.query<CountRow>(
            `SELECT ${k} AS k, date_trunc($3, time_logged, $4) AS b, type, count(*)::int8 AS n FROM acct_record
              WHERE time_logged >= $1 AND time_logged < $2 GROUP BY 1, 2, 3`,
            [iso(from), iso(to), bucket.unit, bucket.tz],
          );
          expect({ window: [iso(from), iso(to)], bucket, dim, rows }).toEqual({
            window: [iso(from), iso(to)],
            bucket,
            dim,
            rows: sortRows(raw),
          });
          if (raw.length) compared++;
        }
      }
    }
    expect(compared).toBe(5 * 7 * 3);
  }, 120_000);

  it('compact to one row per key without changing a sum', async () => {
    const sums = async (t: string) =>
      db.query<{ kind: number; bucket: Date; key: string; type: string; n: string; rows: number }>(
        `SELECT kind, bucket, key, type, sum(n)::text AS n, count(*)::int AS rows FROM ${t} GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
      );
    const tables = ROLLUP_TABLES.filter((t) => t.startsWith('rollup_slice_'));
    for (const t of tables) {
      // The --once ingest ended compacted: one row per key. Split counts into rows of other
      // batches (same sums) to have something to fold.
      expect((await sums(t)).every((r) => r.rows === 1)).toBe(true);
      const pool = new pg.Pool({ connectionString: db.url, max: 1 });
      try {
        await pool.query(
          `WITH s AS (UPDATE ${t} SET n = n - 1 WHERE n >= 2 RETURNING kind, bucket, key, type, file_id)
           INSERT INTO ${t} (kind, bucket, key, type, file_id, batch_offset, n)
           SELECT kind, bucket, key, type, file_id, 1000000000 + row_number() OVER (), 1 FROM s`,
        );
        const before = await sums(t);
        expect(before.filter((r) => r.rows > 1).length).toBeGreaterThan(10);
        const removed = await compactRollups(pool, t, new Date('2026-01-01T00:00:00Z'));
        const rows = (r: { rows: number }[]) => r.reduce((n, x) => n + x.rows, 0);
        expect(removed).toBe(rows(before) - before.length);
        const after = await sums(t);
        expect(after.map((r) => ({ ...r, rows: 1 }))).toEqual(before.map((r) => ({ ...r, rows: 1 })));
        expect(after.every((r) => r.rows === 1)).toBe(true);
      } finally {
        await pool.end();
      }
    }
  });

  it('give up a rebuild a long transaction holds up, leaving no unfinished index, and rebuild later', async () => {
    // Soak test: REINDEX CONCURRENTLY waits for every older transaction, and the ingest waited for
    // it: a session idle in a transaction (a pg_dump, a psql left open) stopped the ingest.
    const pool = new pg.Pool({ connectionString: db.url, max: 2 });
    const holder = new pg.Client({ connectionString: db.url });
    await holder.connect();
    const t = 'rollup_slice_day';
    const scratch = new Date('2032-01-01T00:00:00Z');
    try {
      await pool.query(`ALTER TABLE ${t} SET (autovacuum_enabled = false)`);
      await foldScratchKey(pool, t, scratch);
      await pool.query(`ANALYZE ${t}`);
      const index = async () =>
        (
          await db.query<{ f: string; invalid: number }>(
            `SELECT (SELECT relfilenode::text FROM pg_class WHERE relname = '${t}_pkey') AS f,
                    (SELECT count(*)::int FROM pg_index WHERE indrelid = '${t}'::regclass AND NOT indisvalid) AS invalid`,
          )
        )[0];
      const before = await index();
      await holder.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      await holder.query('SELECT count(*) FROM acct_file'); // holds its snapshot from here
      const keeper = new IndexKeeper(0, '300ms', 0);
      const started = Date.now();
      expect(await keeper.afterCompaction(pool, t)).toBe('gave up');
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(await index()).toEqual({ f: before.f, invalid: 0 });
      await holder.query('COMMIT');
      expect(await keeper.afterCompaction(pool, t)).toBe('rebuilt');
      const after = await index();
      expect(after.f).not.toBe(before.f);
      expect(after.invalid).toBe(0);
      await pool.query(`DELETE FROM ${t} WHERE bucket = $1`, [scratch]);
    } finally {
      await holder.end();
      await pool.query(`ALTER TABLE ${t} RESET (autovacuum_enabled)`);
      await pool.end();
    }
  });

  it('get their indexes rebuilt once folding has left them at twice their healthy size', async () => {
    const pool = new pg.Pool({ connectionString: db.url, max: 1 });
    const scratch = new Date('2031-01-01T00:00:00Z'); // a key of its own, removed at the end
    try {
      // Every rollup table: the star and insight tables' keys bloat as the slices' do (a following
      // worker's small batches write a minute's key many times before it is folded).
      for (const t of ROLLUP_TABLES) {
        const keeper = new IndexKeeper(0);
        const oid = async () =>
          (
            await db.query<{ f: string }>(
              `SELECT relfilenode::text AS f FROM pg_class WHERE relname = '${t}_pkey'`,
            )
          )[0].f;
        const live = async () =>
          Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${t}`))[0].n);
        // The keeper reads the live-row count from the statistics: no autovacuum's sampled
        // estimate may replace it mid-test, and ANALYZE of a table this small counts every row.
        await pool.query(`ALTER TABLE ${t} SET (autovacuum_enabled = false)`);
        // A healthy index: compacted, rebuilt once, then left alone.
        await compactRollups(pool, t, new Date('2026-01-01T00:00:00Z'));
        await pool.query(`REINDEX TABLE ${t}`);
        await pool.query(`ANALYZE ${t}`);
        const rows = await live();
        const healthy = await indexSize(pool, t);
        expect(healthy.rows).toBe(rows);
        const first = await oid();
        expect(await keeper.afterCompaction(pool, t)).toBe('kept');
        expect(await oid()).toBe(first);
        // 30,000 batches' rows of one key, folded into one: the index keeps their pages.
        expect(await foldScratchKey(pool, t, scratch)).toBe(29_999);
        const bloated = await indexSize(pool, t);
        expect(bloated.rows).toBe(rows + 1);
        expect(bloated.bytes).toBeGreaterThan(2 * (healthy.bytes / healthy.rows) * bloated.rows);
        expect(await keeper.afterCompaction(pool, t)).toBe('rebuilt');
        const rebuilt = await indexSize(pool, t);
        expect(await oid()).not.toBe(first);
        expect(rebuilt.bytes).toBeLessThan(bloated.bytes / 2);
        // Healthy again: the next compaction leaves it alone.
        expect(await keeper.afterCompaction(pool, t)).toBe('kept');
        await pool.query(`DELETE FROM ${t} WHERE bucket = $1`, [scratch]);
        await pool.query('SELECT pg_stat_force_next_flush()');
        expect(await live()).toBe(rows);
        await pool.query(`ALTER TABLE ${t} RESET (autovacuum_enabled)`);
      }
    } finally {
      await pool.end();
    }
  });

  it('back off rebuilding a table that bloats again right after each rebuild (churn)', async () => {
    const pool = new pg.Pool({ connectionString: db.url, max: 1 });
    const t = 'rollup_slice_day';
    const scratch = new Date('2033-01-01T00:00:00Z');
    let clock = 1_000_000_000;
    const keeper = new IndexKeeper(0, '5s', 0, () => clock);
    const oid = async () =>
      (
        await db.query<{ f: string }>(
          `SELECT relfilenode::text AS f FROM pg_class WHERE relname = '${t}_pkey'`,
        )
      )[0].f;
    /** 30,000 batches' rows of the scratch key folded into one: the index keeps their pages. */
    const bloat = async () => {
      await foldScratchKey(pool, t, scratch);
      await pool.query(`ANALYZE ${t}`);
    };
    const minutes = (m: number) => {
      clock += m * 60_000;
    };
    try {
      await pool.query(`ALTER TABLE ${t} SET (autovacuum_enabled = false)`);
      await bloat();
      expect(await keeper.afterCompaction(pool, t)).toBe('rebuilt');
      // Bloated again a minute later: churn. Rebuilt (nothing to wait for yet), and the next
      // rebuild waits 2 minutes…
      minutes(1);
      await bloat();
      expect(await keeper.afterCompaction(pool, t)).toBe('rebuilt');
      const second = await oid();
      minutes(1);
      await bloat();
      expect(await keeper.afterCompaction(pool, t)).toBe('kept');
      expect(await oid()).toBe(second);
      minutes(1.5);
      expect(await keeper.afterCompaction(pool, t)).toBe('rebuilt');
      // …then 4: at 3 minutes it is still kept, at 4.5 rebuilt.
      await bloat();
      minutes(3);
      expect(await keeper.afterCompaction(pool, t)).toBe('kept');
      minutes(1.5);
      expect(await keeper.afterCompaction(pool, t)).toBe('rebuilt');
      // A rebuild that holds past its wait and 10 minutes more ends the backoff.
      minutes(20);
      await bloat();
      expect(await keeper.afterCompaction(pool, t)).toBe('rebuilt');
      minutes(1);
      await bloat();
      expect(await keeper.afterCompaction(pool, t)).toBe('rebuilt');
    } finally {
      await pool.query(`DELETE FROM ${t} WHERE bucket = $1`, [scratch]);
      await pool.query(`ALTER TABLE ${t} RESET (autovacuum_enabled)`);
      await pool.end();
    }
  });

  it('are derived from the star rollups by the migration exactly as the ingest writes them', async () => {
    const backfillOf = (migration: string) => {
      const sql = readFileSync(
        path.resolve(import.meta.dirname, `../../prisma/migrations/${migration}/migration.sql`),
        'utf8',
      );
      return sql.slice(sql.indexOf('-- Existing data'));
    };
    const snapshot = async () => {
      const out: Record<string, unknown[]> = {};
      for (const t of ['rollup_slice_minute', 'rollup_slice_hour', 'rollup_slice_day', 'rollup_slice_month'])
        out[t] = await db.query(
          `SELECT kind, bucket, key, type, sum(n)::text AS n FROM ${t} GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
        );
      return out;
    };
    const written = await snapshot();
    await db.query('TRUNCATE rollup_slice_minute, rollup_slice_hour, rollup_slice_day, rollup_slice_month');
    await db.query(backfillOf('20261128050000_slice_rollups'));
    await db.query(backfillOf('20261128070000_slice_month'));
    expect(await snapshot()).toEqual(written);
  });
});

describe('records pages over several days', () => {
  it('list every record of the range once, newest first, across the steps back in time', async () => {
    const [from, to] = WINDOWS[0];
    const domain = await commonest('domain', from, to);
    const sparseDomain = (
      await db.query<{ d: string }>(
        `SELECT rcpt_domain AS d FROM acct_record WHERE time_logged >= $1 AND time_logged < $2
          GROUP BY 1 HAVING count(*) BETWEEN 5 AND 40 AND count(DISTINCT time_logged::date) > 1 ORDER BY 1 LIMIT 1`,
        [iso(from), iso(to)],
      )
    )[0]?.d;
    expect(domain).toBeTruthy();
    expect(sparseDomain).toBeTruthy();
    // Dense (every record, pages within a day), sparse (complaints; a small domain: a page spans
    // days, found through the day slice rollups), a text filter the slices cannot count (their
    // estimate is too late: the page reads on), two dimensions (no estimate).
    const cases: { types: string[]; domain?: string; job?: string; q?: string; limit: number }[] = [
      { types: [], limit: 397 },
      { types: ['f'], limit: 2 },
      { types: [], domain: sparseDomain, limit: 3 },
      { types: ['b', 't'], domain: domain as string, limit: 50 },
      { types: [], domain: domain as string, q: 'a', limit: 20 },
      { types: [], domain: domain as string, job: (await commonest('job', from, to)) as string, limit: 30 },
    ];
    for (const c of cases) {
      const expected = await db.query<{ id: string }>(
        `SELECT file_id || ':' || byte_offset AS id FROM acct_record
          WHERE time_logged >= $1 AND time_logged < $2 AND (cardinality($3::text[]) = 0 OR type = ANY($3))
            AND ($4::text IS NULL OR rcpt_domain = $4) AND ($5::text IS NULL OR dsn_diag ILIKE '%' || $5 || '%')
            AND ($6::text IS NULL OR job_id = $6)
          ORDER BY time_logged DESC, file_id DESC, byte_offset DESC`,
        [iso(from), iso(to), c.types, c.domain ?? null, c.q ?? null, c.job ?? null],
      );
      expect(expected.length, JSON.stringify(c)).toBeGreaterThan(c.limit);
      const ids: string[] = [];
      let cursor: string | undefined;
      do {
        const filters = windowOnly(new Date(from), new Date(to));
        if (c.domain) filters.domain = [c.domain];
        if (c.job) filters.job = [c.job];
        const page = await getRecords({
          filters,
          types: c.types as RecordType[],
          q: c.q,
          limit: c.limit,
          cursor,
        });
        expect(page.records.length).toBeLessThanOrEqual(c.limit);
        if (page.nextCursor) expect(page.records.length).toBe(c.limit);
        ids.push(...page.records.map((r) => r.id as string));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect({ c, ids }).toEqual({ c, ids: expected.map((r) => r.id) });
    }
  });
});
