import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateFiles } from '../../ingest/demo/generator.ts';
import { MINUTE_TABLES, pruneMinuteRollups } from '../../ingest/minute-retention.ts';
import { windowOnly } from '../../lib/filters.ts';
import { parseKeptScreen } from '../../lib/kept-screen.ts';
import { getSliceCounts } from '../../lib/queries/get-slice-counts.ts';
import { checkCountableWindow } from '../../lib/queries/query-counts.ts';
import { closePool, createTestDatabase, type TestDatabase } from '../db.ts';
import { apiGet, ingestOnce } from '../helpers.ts';

let db: TestDatabase;
let pool: pg.Pool;
beforeAll(async () => {
  db = await createTestDatabase();
  process.env.DATABASE_URL = db.url; // the app's queries (getPrisma)
  delete process.env.MINUTE_ROLLUP_RETENTION_DAYS; // the app learns the boundary from the database
  pool = new pg.Pool({ connectionString: db.url, max: 4 });
});
afterAll(async () => {
  await closePool(pool);
  await db.drop();
});

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const DAYS = 3;
/** Where a 3-day minute retention keeps minute rows from: the start of the UTC day 3 days ago. */
const boundary = Math.floor((Date.now() - DAYS * DAY) / DAY) * DAY;
const iso = (ms: number) => new Date(ms).toISOString();
const query = (from: number, to: number, extra = '') => `from=${iso(from)}&to=${iso(to)}${extra}`;

/** Minute rows per table before and from the boundary. */
async function minuteRows() {
  const out: Record<string, { before: number; after: number }> = {};
  for (const table of MINUTE_TABLES) {
    const [r] = await db.query<{ before: string; after: string }>(
      `SELECT count(*) FILTER (WHERE bucket < $1) AS before, count(*) FILTER (WHERE bucket >= $1) AS after FROM ${table}`,
      [new Date(boundary)],
    );
    out[table] = { before: Number(r.before), after: Number(r.after) };
  }
  return out;
}

/** Reads of the API that must answer the same after the retention as before it. */
const KEPT_READS = [
  // Whole hours before the boundary: from the hour rollups.
  `/api/v1/stats/summary?${query(boundary - 40 * HOUR, boundary - 3 * HOUR)}`,
  `/api/v1/stats/timeseries?${query(boundary - 40 * HOUR, boundary - 3 * HOUR, '&bucket=hour')}`,
  `/api/v1/stats/timeseries?${query(boundary - 2 * DAY, boundary, '&bucket=day')}`,
  `/api/v1/stats/breakdown?${query(boundary - 40 * HOUR, boundary - 3 * HOUR, '&by=provider')}`,
  // Two dimensions: the star rollups.
  `/api/v1/stats/breakdown?${query(boundary - 40 * HOUR, boundary - 3 * HOUR, '&by=domain&provider=Google')}`,
  `/api/v1/stats/breakdown?${query(boundary - 40 * HOUR, boundary - 3 * HOUR, '&by=vmta')}`,
  `/api/v1/latency?${query(boundary - 40 * HOUR, boundary - 3 * HOUR, '&bucket=hour')}`,
  `/api/v1/dsn-codes?${query(boundary - 40 * HOUR, boundary - 3 * HOUR)}`,
  // Whole hours before it, minute edges after it.
  `/api/v1/stats/summary?${query(boundary - 20 * HOUR, boundary + 5 * HOUR + 17 * MINUTE)}`,
  `/api/v1/stats/breakdown?${query(boundary - 20 * HOUR, boundary + 5 * HOUR + 17 * MINUTE, '&by=domain')}`,
  // After the boundary, minute edges and minute buckets: unchanged.
  `/api/v1/stats/summary?${query(boundary + 2 * HOUR + 7 * MINUTE, boundary + 30 * HOUR + 53 * MINUTE)}`,
  `/api/v1/stats/timeseries?${query(boundary + 2 * HOUR + 7 * MINUTE, boundary + 9 * HOUR + 53 * MINUTE, '&bucket=minute')}`,
  `/api/v1/stats/breakdown?${query(boundary + 2 * HOUR + 7 * MINUTE, boundary + 30 * HOUR + 53 * MINUTE, '&by=domain&vmta=vmta1')}`,
  `/api/v1/reasons?${query(boundary + 2 * HOUR + 7 * MINUTE, boundary + 20 * HOUR + 53 * MINUTE)}`,
  `/api/v1/latency?${query(boundary + 2 * HOUR + 7 * MINUTE, boundary + 5 * HOUR + 53 * MINUTE, '&bucket=minute')}`,
];

describe('minute rollup retention (MINUTE_ROLLUP_RETENTION_DAYS)', () => {
  const answers = new Map<string, unknown>();
  const refusedLater = `/api/v1/stats/summary?${query(boundary - 30 * HOUR + 7 * MINUTE, boundary - 2 * HOUR)}`;
  let before: Awaited<ReturnType<typeof minuteRows>>;

  it('deletes the minute rows before the start of the UTC day N days ago, and no others', async () => {
    // Five days of records, two of them before the boundary, with sub-hour and sub-minute times.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'acct-minute-retention-'));
    await generateFiles({ out: dir, records: 12_000, days: 5, end: new Date(boundary + 3 * DAY), seed: 5 });
    await ingestOnce(db.url, [dir]);
    before = await minuteRows();
    for (const table of MINUTE_TABLES) {
      expect(before[table].before, table).toBeGreaterThan(100);
      expect(before[table].after, table).toBeGreaterThan(100);
    }
    for (const url of [...KEPT_READS, refusedLater]) {
      const res = await apiGet(url);
      expect(res.status, url).toBe(200);
      answers.set(url, res.body);
    }
    const total = (answers.get(KEPT_READS[0]) as { counts: Record<string, number> }).counts;
    expect(Object.values(total).reduce((a, b) => a + b, 0)).toBeGreaterThan(1000);

    // Small batches: the deletion goes through many statements.
    const result = await pruneMinuteRollups(pool, DAYS, { graceMs: 0, batchRows: 700 });
    expect(result.keptFrom.getTime()).toBe(boundary);
    expect(result.stopped).toBe(false);
    const after = await minuteRows();
    for (const table of MINUTE_TABLES) {
      expect(after[table], table).toEqual({ before: 0, after: before[table].after });
      expect(result.deleted[table], table).toBe(before[table].before);
    }
    const [kept] = await db.query<{ kept_from: Date }>('SELECT kept_from FROM minute_retention');
    expect(kept.kept_from.getTime()).toBe(boundary);
  }, 180_000);

  it('leaves whole hours before the boundary, and everything after it, answering as before', async () => {
    for (const url of KEPT_READS) {
      const res = await apiGet(url);
      expect(res.status, url).toBe(200);
      expect(res.body, url).toEqual(answers.get(url));
    }
  }, 60_000);

  it('refuses, naming the parameter, what needs minutes no longer kept', async () => {
    const refused = async (url: string, param: string) => {
      const res = await apiGet(url);
      expect(res.status, url).toBe(400);
      expect(res.body.error.param, url).toBe(param);
      expect(res.body.error.message, url).toMatch(/MINUTE_ROLLUP_RETENTION_DAYS/);
      return res.body.error.message as string;
    };
    expect(await refused(refusedLater, 'from')).toBe(
      `from=${iso(boundary - 30 * HOUR + 7 * MINUTE)} is not on a whole hour, and the minute rollups before ` +
        `${iso(boundary)} are no longer kept (MINUTE_ROLLUP_RETENTION_DAYS): give a whole hour`,
    );
    const early = boundary - 30 * HOUR;
    await refused(`/api/v1/stats/summary?${query(early, boundary - 2 * HOUR + 30 * MINUTE)}`, 'to');
    await refused(`/api/v1/stats/breakdown?${query(early + 7 * MINUTE, boundary, '&by=domain')}`, 'from');
    await refused(
      `/api/v1/stats/breakdown?${query(early + 7 * MINUTE, boundary, '&by=domain&vmta=vmta1')}`,
      'from',
    );
    await refused(`/api/v1/stats/timeseries?${query(early, early + 3 * HOUR, '&bucket=minute')}`, 'bucket');
    // A zone off whole hours counts its hours from minutes.
    await refused(
      `/api/v1/stats/timeseries?${query(early, early + 3 * HOUR, '&bucket=hour&tz=Asia/Kolkata')}`,
      'tz',
    );
    await refused(`/api/v1/reasons?${query(early + 7 * MINUTE, early + 5 * HOUR)}`, 'from');
    await refused(`/api/v1/latency?${query(early, early + 3 * HOUR, '&bucket=minute')}`, 'bucket');
    await refused(`/api/v1/bounces?${query(early, early + 3 * HOUR, '&bucket=minute')}`, 'bucket');
    // Screens check it before streaming their panels, with their chart's bucket and zone.
    const w = windowOnly(new Date(early + 7 * MINUTE), new Date(boundary));
    await expect(checkCountableWindow(w)).rejects.toMatchObject({ param: 'from' });
    const hours = windowOnly(new Date(early), new Date(early + 3 * HOUR));
    await expect(checkCountableWindow(hours, { bucket: 'hour', tz: 'UTC' })).resolves.toBeUndefined();
    await expect(checkCountableWindow(hours, { bucket: 'minute', tz: 'UTC' })).rejects.toMatchObject({
      param: 'bucket',
    });
    // The incident monitor's reads refuse too (its configuration keeps them within the retention).
    await expect(getSliceCounts(new Date(early + 7 * MINUTE), new Date(boundary))).rejects.toMatchObject({
      param: 'from',
    });
  }, 60_000);

  it("charts a range before the boundary in hours when the bucket is left to 'auto'", async () => {
    const early = boundary - 30 * HOUR;
    const res = await apiGet(`/api/v1/stats/timeseries?${query(early, early + 3 * HOUR)}`);
    expect(res.status).toBe(200);
    expect(res.body.bucket).toBe('hour');
    const screen = await parseKeptScreen(new URLSearchParams(query(early, early + 3 * HOUR)));
    expect(screen.bucket).toBe('hour');
    expect(screen.minuteKeptFrom).toBe(boundary);
    const recent = await parseKeptScreen(new URLSearchParams(query(boundary + HOUR, boundary + 3 * HOUR)));
    expect(recent.bucket).toBe('minute');
    // Reasons seen before it are seen to the hour (counted whole hours from the hour rollups).
    const reasons = await apiGet(`/api/v1/reasons?${query(early, early + 5 * HOUR)}`);
    expect(reasons.status).toBe(200);
    expect(reasons.body.seenToTheHour).toBe(true);
    expect(reasons.body.rows.length).toBeGreaterThan(0);
    for (const r of reasons.body.rows) expect(Date.parse(r.firstSeen) % HOUR).toBe(0);
  }, 60_000);

  it('is idempotent: a second pass and a --once run delete nothing more and keep the boundary', async () => {
    // A pass stopped midway (a worker stopping) leaves the rest to the next one.
    await db.query(
      `INSERT INTO rollup_insight_minute (bucket, dim_id, file_id, batch_offset, n)
       SELECT b, d.id, f.id, -2, 1
         FROM generate_series($1::timestamptz, $2::timestamptz, interval '1 minute') b,
              (SELECT id FROM insight_dim ORDER BY id LIMIT 10) d, (SELECT min(id) AS id FROM acct_file) f`,
      [new Date(boundary - DAY), new Date(boundary - MINUTE)],
    );
    let statements = 0;
    const stopped = await pruneMinuteRollups(pool, DAYS, {
      graceMs: 0,
      batchRows: 1000,
      stopped: () => ++statements > 3,
    });
    expect(stopped.stopped).toBe(true);
    expect(stopped.deleted.rollup_insight_minute).toBe(2000); // rollup_minute had nothing left
    const again = await pruneMinuteRollups(pool, DAYS, { graceMs: 0 });
    expect(again.deleted.rollup_insight_minute).toBe(14_400 - 2000);
    expect(await pruneMinuteRollups(pool, DAYS, { graceMs: 0 })).toMatchObject({
      deleted: { rollup_minute: 0, rollup_insight_minute: 0, rollup_slice_minute: 0 },
    });
    const empty = mkdtempSync(path.join(os.tmpdir(), 'acct-minute-retention-empty-'));
    await ingestOnce(db.url, [empty], { minuteRetentionDays: DAYS });
    // A longer retention later does not move the published boundary back.
    await pruneMinuteRollups(pool, DAYS + 5, { graceMs: 0 });
    const [kept] = await db.query<{ kept_from: Date }>('SELECT kept_from FROM minute_retention');
    expect(kept.kept_from.getTime()).toBe(boundary);
    const after = await minuteRows();
    for (const table of MINUTE_TABLES)
      expect(after[table], table).toEqual({ before: 0, after: before[table].after });
    for (const url of KEPT_READS) expect((await apiGet(url)).body, url).toEqual(answers.get(url));
  }, 120_000);

  it('loses nothing the ingest writes while it deletes', async () => {
    // Old minute rows to delete (as a backfill of old files would leave), marked by a negative
    // batch offset: ~200,000 rows, deleted 1,000 at a time while the worker ingests.
    await db.query(
      `INSERT INTO rollup_minute (bucket, dim_id, file_id, batch_offset, n)
       SELECT b, d.id, f.id, -1, 1
         FROM generate_series($1::timestamptz, $2::timestamptz, interval '1 minute') b,
              (SELECT id FROM acct_dim ORDER BY id LIMIT 70) d, (SELECT min(id) AS id FROM acct_file) f`,
      [new Date(boundary - 2 * DAY), new Date(boundary - MINUTE)],
    );
    const [{ planted }] = await db.query<{ planted: string }>(
      'SELECT count(*) AS planted FROM rollup_minute WHERE batch_offset = -1',
    );
    // It failed once (session 28: 0 planted) and could not be reproduced: say what it planted from.
    const [from] = await db.query<{ dims: string; files: string; minutes: string }>(
      `SELECT (SELECT count(*) FROM acct_dim) AS dims, (SELECT count(*) FROM acct_file) AS files,
              (SELECT count(*) FROM rollup_minute) AS minutes`,
    );
    expect(Number(planted), JSON.stringify({ ...from, boundary: iso(boundary) })).toBeGreaterThan(150_000);
    await db.query('DELETE FROM minute_retention'); // a first pass: it moves
    // New records over the last two days and the two before the boundary, ingested meanwhile.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'acct-minute-retention-live-'));
    const generated = await generateFiles({
      out: dir,
      records: 20_000,
      days: 4,
      end: new Date(boundary + DAY),
      seed: 77,
    });
    // Small batches on both sides. After its first statement the deletion waits for the ingest to
    // commit a batch, so that the two interleave whatever the machine's load: an ingest batch is
    // committed between two deleting statements.
    const ingested = async () =>
      Number(
        (
          await db.query<{ n: string }>(
            'SELECT COALESCE(sum(records), 0) AS n FROM acct_file WHERE path LIKE $1',
            [`${dir}%`],
          )
        )[0].n,
      );
    let statements = 0;
    let atFirstStatement = -1;
    let afterWaiting = -1;
    const [pruned] = await Promise.all([
      pruneMinuteRollups(pool, DAYS, {
        graceMs: 0,
        batchRows: 500,
        onBatch: async () => {
          statements += 1;
          if (statements !== 1) return;
          atFirstStatement = await ingested();
          if (atFirstStatement >= generated.records) return; // the ingest was done: fails below
          const deadline = Date.now() + 60_000;
          do {
            await new Promise((r) => setTimeout(r, 20));
            afterWaiting = await ingested();
          } while (afterWaiting === atFirstStatement && Date.now() < deadline);
        },
      }),
      ingestOnce(db.url, [dir], { batchRecords: 500 }),
    ]);
    // The ingest had records left when the first statement ended, and committed some before the
    // second: deletion and ingest ran side by side.
    expect(atFirstStatement).toBeLessThan(generated.records);
    expect(afterWaiting).toBeGreaterThan(atFirstStatement);
    expect(statements).toBeGreaterThan(2);
    expect(pruned.deleted.rollup_minute).toBeGreaterThanOrEqual(Number(planted));
    const [{ left }] = await db.query<{ left: string }>(
      'SELECT count(*) AS left FROM rollup_minute WHERE batch_offset = -1',
    );
    expect(Number(left)).toBe(0);
    // Every raw row is in the hour rollups, and in the minute rollups from the boundary on.
    const [sums] = await db.query<{
      raw: string;
      hour: string;
      raw_kept: string;
      minute: string;
      slice: string;
    }>(
      `SELECT (SELECT count(*) FROM acct_record) AS raw,
              (SELECT sum(n) FROM rollup_hour) AS hour,
              (SELECT count(*) FROM acct_record WHERE time_logged >= $1) AS raw_kept,
              (SELECT sum(n) FROM rollup_minute WHERE bucket >= $1) AS minute,
              (SELECT sum(n) FROM rollup_slice_minute WHERE kind = 0 AND bucket >= $1) AS slice`,
      [new Date(boundary)],
    );
    expect(Number(sums.hour)).toBe(Number(sums.raw));
    expect(Number(sums.minute)).toBe(Number(sums.raw_kept));
    expect(Number(sums.slice)).toBe(Number(sums.raw_kept));
    const [{ n }] = await db.query<{ n: string }>(
      `SELECT count(*) AS n FROM acct_record WHERE time_logged >= $1 AND time_logged < $2`,
      [new Date(boundary + 2 * HOUR + 7 * MINUTE), new Date(boundary + 30 * HOUR + 53 * MINUTE)],
    );
    const summary = await apiGet(KEPT_READS[10]);
    expect(Object.values(summary.body.counts as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(
      Number(n),
    );
  }, 180_000);
});
