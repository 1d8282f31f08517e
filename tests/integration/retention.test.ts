import { appendFileSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateFiles } from '../../ingest/demo/generator.ts';
import { PartitionKeeper } from '../../ingest/partitions.ts';
import { windowOnly } from '../../lib/filters.ts';
import { getBreakdown } from '../../lib/queries/get-breakdown.ts';
import { getSummary } from '../../lib/queries/get-summary.ts';
import { getTopDiagnostics, topDiagnosticsByHour } from '../../lib/queries/get-top-diagnostics.ts';
import { checkCountableWindow } from '../../lib/queries/query-counts.ts';
import { closePool, createTestDatabase, type TestDatabase } from '../db.ts';
import { followWorker, ingestOnce, waitFor } from '../helpers.ts';

let db: TestDatabase;
let pool: pg.Pool;
beforeAll(async () => {
  db = await createTestDatabase();
  process.env.DATABASE_URL = db.url; // the app's queries (getPrisma)
  pool = new pg.Pool({ connectionString: db.url, max: 2 });
});
afterAll(async () => {
  await closePool(pool);
  await db.drop();
});

const MINUTE = 60_000;
const HOUR = 3_600_000;
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
    const dropped = await keeper.dropOlderThan(pool, 30, 0);
    expect(dropped.sort()).toEqual([name(40), name(31)].sort());
    expect(await partitions()).toEqual([name(1), name(0)].sort());
    // Rows still route to the kept partitions.
    await db.query(
      `INSERT INTO acct_record (time_logged, file_id, byte_offset, source, type, rcpt_domain, provider)
       VALUES (now(), 1, 0, 's', 'd', 'gmail.com', 'Google')`,
    );
  });

  it("leave the app's counts exact when the app was not told the worker's retention", async () => {
    // Two days of records 36 and 35 days ago, ingested while their partitions exist.
    const end = new Date(dayNumber(34) * DAY);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'acct-retention-'));
    await generateFiles({ out: dir, records: 4000, days: 2, end, seed: 9, layout: 'simple' });
    await ingestOnce(db.url, [dir]);
    // Minute edges: a breakdown by recipient domain reads them from the raw rows while they are
    // kept (no minute slices for domains), else from the star rollups.
    const from = new Date(end.getTime() - 2 * DAY + 10 * HOUR + 7 * MINUTE);
    const to = new Date(end.getTime() - DAY + 20 * HOUR + 53 * MINUTE);
    const filters = windowOnly(from, to);
    delete process.env.RAW_RETENTION_DAYS; // the app knows nothing of the worker's retention
    const before = await getBreakdown(filters, 'domain', 10_000);
    const summaryBefore = await getSummary(filters);
    const [{ n }] = await db.query<{ n: string }>(
      'SELECT count(*) AS n FROM acct_record WHERE time_logged >= $1 AND time_logged < $2',
      [from, to],
    );
    const total = (rows: typeof before.rows) =>
      rows.reduce((s, r) => s + Object.values(r.counts).reduce((a, b) => a + b, 0), 0);
    expect(total(before.rows)).toBe(Number(n));
    expect(Number(n)).toBeGreaterThan(1000);

    // The worker drops those days past a 30-day retention, having published where raw rows start.
    await new PartitionKeeper().dropOlderThan(pool, 30, 0);
    const [kept] = await db.query<{ kept_from: Date }>('SELECT kept_from FROM raw_retention');
    expect(kept.kept_from.getTime()).toBe(dayNumber(30) * DAY);
    const [{ left }] = await db.query<{ left: string }>(
      'SELECT count(*) AS left FROM acct_record WHERE time_logged >= $1 AND time_logged < $2',
      [from, to],
    );
    expect(Number(left)).toBe(0);
    const after = await getBreakdown(filters, 'domain', 10_000);
    expect(after.rows).toEqual(before.rows);
    expect((await getSummary(filters)).counts).toEqual(summaryBefore.counts);
    expect(total(after.rows)).toBe(Number(n));

    // A window edge within a minute needs raw rows, now gone: refused with the parameter named.
    const withinMinute = windowOnly(new Date(from.getTime() + 30_000), to);
    await expect(getSummary(withinMinute)).rejects.toMatchObject({ param: 'from' });
    await expect(getBreakdown(withinMinute, 'domain', 10)).rejects.toThrow(/not a whole minute/);
    // Screens check it before streaming their panels, to show it as a bad parameter.
    await expect(checkCountableWindow(withinMinute)).rejects.toMatchObject({ param: 'from' });
    await expect(checkCountableWindow(filters)).resolves.toBeUndefined();
    const recent = new Date(Date.now() - 30_000);
    await expect(checkCountableWindow(windowOnly(recent, new Date()))).resolves.toBeUndefined();

    // The published start only moves forward: a longer retention later does not move it back.
    await new PartitionKeeper().dropOlderThan(pool, 60, 0);
    const [still] = await db.query<{ kept_from: Date }>('SELECT kept_from FROM raw_retention');
    expect(still.kept_from.getTime()).toBe(kept.kept_from.getTime());

    // An app given RAW_RETENTION_DAYS refuses that edge by itself, before any worker published.
    await db.query('DELETE FROM raw_retention');
    process.env.RAW_RETENTION_DAYS = '30';
    try {
      await expect(getSummary(withinMinute)).rejects.toMatchObject({ param: 'from' });
      await expect(checkCountableWindow(withinMinute)).rejects.toMatchObject({ param: 'from' });
      expect((await getSummary(filters)).counts).toEqual(summaryBefore.counts);
    } finally {
      delete process.env.RAW_RETENTION_DAYS;
    }
  }, 120_000);

  it('are pruned by a --once run that finds nothing new (a nightly cron job)', async () => {
    // Found by the production QA run: the worker applied retention only after a pass that read
    // something, so a cron job over a quiet folder never pruned.
    const keeper = new PartitionKeeper();
    await keeper.ensureDays(pool, [dayNumber(50)]);
    const old = `acct_record_p${new Date(dayNumber(50) * DAY).toISOString().slice(0, 10).replaceAll('-', '')}`;
    expect(await partitions()).toContain(old);
    const empty = mkdtempSync(path.join(os.tmpdir(), 'acct-retention-empty-'));
    const progress = await ingestOnce(db.url, [empty], { rawRetentionDays: 30 });
    expect(progress.records).toBe(0);
    expect(await partitions()).not.toContain(old);
  }, 60_000);

  it("leave a job's top diagnostics counted from where raw records are kept, and say from where", async () => {
    // Two days of records reaching from 31 to 29 days ago; a 30-day retention drops the first.
    const end = new Date(dayNumber(29) * DAY + 12 * HOUR);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'acct-retention-diag-'));
    await generateFiles({ out: dir, records: 4000, days: 2, end, seed: 13, layout: 'simple' });
    await ingestOnce(db.url, [dir]);
    const from = new Date(end.getTime() - 2 * DAY + 7 * MINUTE);
    const [{ job }] = await db.query<{ job: string }>(
      `SELECT job_id AS job FROM acct_record WHERE type IN ('b', 't') AND job_id IS NOT NULL
        AND time_logged >= $1 AND time_logged < $2 GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`,
      [from, end],
    );
    // A sending IP's too: read mostly from the insight rollups, kept where raw rows are not.
    const [{ ip }] = await db.query<{ ip: string }>(
      `SELECT dlv_source_ip AS ip FROM acct_record WHERE type IN ('b', 't') AND dlv_source_ip IS NOT NULL
        AND time_logged >= $1 AND time_logged < $2 GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`,
      [from, end],
    );
    const filters = { ...windowOnly(from, end), job: [job] };
    const ipFilters = { ...windowOnly(from, end), sourceIp: [ip] };
    const keptFrom = new Date(dayNumber(30) * DAY);
    const diagnosed = async (since: Date, column = 'job_id', value = job) => {
      const [{ n }] = await db.query<{ n: string }>(
        `SELECT count(*) AS n FROM acct_record WHERE type IN ('b', 't', 'tq', 'rb') AND ${column} = $1
          AND time_logged >= $2 AND time_logged < $3`,
        [value, since, end],
      );
      return Number(n);
    };
    const all = await diagnosed(from);
    const kept = await diagnosed(keptFrom);
    expect(kept).toBeGreaterThan(0);
    expect(all).toBeGreaterThan(kept);
    const ipAll = await diagnosed(from, 'dlv_source_ip', ip);
    const ipKept = await diagnosed(keptFrom, 'dlv_source_ip', ip);
    expect(ipAll).toBeGreaterThan(ipKept);
    const sum = (rows: { total: number }[]) => rows.reduce((a, r) => a + r.total, 0);
    await db.query('DELETE FROM raw_retention'); // every raw row kept (the tests above published one)
    const before = await getTopDiagnostics(filters, 10_000);
    expect(before.from).toEqual(from);
    expect(sum(before.rows)).toBe(all);
    const ipBefore = await getTopDiagnostics(ipFilters, 10_000);
    expect(ipBefore.from).toEqual(from);
    expect(sum(ipBefore.rows)).toBe(ipAll);

    await new PartitionKeeper().dropOlderThan(pool, 30, 0);
    const after = await getTopDiagnostics(filters, 10_000);
    // Counted from the first day kept, and saying so: the page read 39 deferrals of a reason that
    // had 71 in its window, with nothing to tell (QA).
    expect(after.from).toEqual(keptFrom);
    expect(sum(after.rows)).toBe(kept);
    const ipAfter = await getTopDiagnostics(ipFilters, 10_000);
    expect(ipAfter.from).toEqual(keptFrom);
    expect(sum(ipAfter.rows)).toBe(ipKept);
    // Split between the rollups and raw rows (at any size), from where raw records are kept.
    const split = await topDiagnosticsByHour({ ...ipFilters, from: keptFrom }, 10_000, 0);
    expect(split).not.toBeNull();
    expect(sum(split?.rows ?? [])).toBe(ipKept);
    // A window wholly before it: nothing counted, and where raw records start.
    const old = await getTopDiagnostics({ ...filters, to: new Date(keptFrom.getTime() - HOUR) }, 10);
    expect(old).toEqual({ rows: [], from: keptFrom, totalRows: 0 });
  }, 120_000);

  it("are made again when another worker's retention dropped one this worker had made", async () => {
    // Found by the ingest QA pass: workers of several hosts share one database, and the worker
    // creates a day's partition once. Another worker's retention dropped it; this worker's next
    // records of that day found no partition, PostgreSQL refused them, and they were stored as
    // rejects ('no partition of relation "acct_record" found for row'), missing from the counts.
    const day = new Date(dayNumber(45) * DAY).toISOString().slice(0, 10);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'acct-retention-shared-'));
    const file = path.join(dir, `acct-${day}-0000.csv`);
    writeFileSync(file, `type,timeLogged,rcpt,vmta\nd,${day} 10:00:00+0000,shared1@gmail.com,vmta1\n`);
    const follower = followWorker(db.url, [dir]);
    try {
      const ingested = () =>
        db.query<{ offset: string; records: string; rejects: string; size: string }>(
          'SELECT "offset", records, rejects, size FROM acct_file WHERE path = $1',
          [file],
        );
      await waitFor(ingested, (r) => r[0]?.records === '1');
      // The other host's worker, with a 30-day raw retention.
      await new PartitionKeeper().dropOlderThan(pool, 30, 0);
      appendFileSync(file, `d,${day} 11:00:00+0000,shared2@gmail.com,vmta1\n`);
      const [done] = await waitFor(ingested, (r) => r[0].offset === String(statSync(file).size));
      expect(done).toMatchObject({ records: '2', rejects: '0' });
      const [{ n }] = await db.query<{ n: string }>(
        `SELECT sum(r.n) AS n FROM rollup_hour r JOIN acct_file f ON f.id = r.file_id WHERE f.path = $1`,
        [file],
      );
      expect(Number(n)).toBe(2);
    } finally {
      await follower.stop();
    }
  });
});
