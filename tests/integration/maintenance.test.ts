import { Writable } from 'node:stream';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IndexKeeper, indexSize } from '../../ingest/compact.ts';
import { Maintenance, unvacuumedTables } from '../../ingest/maintenance.ts';
import { closePool, createTestDatabase, type TestDatabase } from '../db.ts';
import {
  copyFixtures,
  fixturesAndGenerated,
  foldScratchKey,
  followWorker,
  ingestOnce,
  waitFor,
} from '../helpers.ts';

// The worker's upkeep of its tables, beside the ingest: rollup indexes a fold left sparse are
// rebuilt, and where autovacuum does not run (this machine's PostgreSQL 15 has autovacuum = off)
// the worker vacuums and analyzes its tables itself.

let db: TestDatabase;
let serverAutovacuum: boolean;

beforeAll(async () => {
  db = await createTestDatabase();
  serverAutovacuum = (await db.query<{ on: boolean }>("SELECT current_setting('autovacuum')::bool AS on"))[0]
    .on;
});
afterAll(async () => {
  await db.drop();
});

/** A logger whose lines are kept (parsed) in `lines`. */
function capturingLogger() {
  const lines: { level: number; msg: string; [key: string]: unknown }[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

async function stats(table: string) {
  const [row] = await db.query<{ dead: string; vacuums: string; analyzes: string; reltuples: number }>(
    `SELECT n_dead_tup AS dead, vacuum_count AS vacuums, analyze_count AS analyzes, c.reltuples
       FROM pg_stat_user_tables t JOIN pg_class c ON c.oid = t.relid WHERE t.relname = $1`,
    [table],
  );
  return {
    dead: Number(row.dead),
    vacuums: Number(row.vacuums),
    analyzes: Number(row.analyzes),
    reltuples: row.reltuples,
  };
}

/** 30,000 batches' rows of one hour key of rollup_hour, folded into one: 29,999 dead rows. */
async function foldedKey(pool: pg.Pool, bucket: Date): Promise<void> {
  expect(await foldScratchKey(pool, 'rollup_hour', bucket)).toBe(29_999);
  await pool.query('SELECT pg_stat_force_next_flush()');
}

describe('table maintenance', () => {
  it('vacuums and analyzes the tables autovacuum leaves alone, at autovacuum’s thresholds', async () => {
    const pool = new pg.Pool({ connectionString: db.url, max: 2 });
    const bucket = new Date('2031-03-01T10:00:00Z');
    try {
      await pool.query('ALTER TABLE rollup_hour SET (autovacuum_enabled = off)');
      await foldedKey(pool, bucket);
      const before = await stats('rollup_hour');
      expect(before.dead).toBeGreaterThanOrEqual(29_999);
      const due = await unvacuumedTables(pool);
      expect(due.find((t) => t.name === 'rollup_hour')).toEqual({
        name: 'rollup_hour',
        vacuum: true,
        analyze: true,
      });
      // A table autovacuum looks after is left to it; with autovacuum off, every table is listed.
      expect(due.some((t) => t.name === 'rollup_minute')).toBe(!serverAutovacuum);

      const { logger, lines } = capturingLogger();
      const maintenance = new Maintenance({ pool, logger });
      maintenance.kick();
      await maintenance.idle();
      const after = await stats('rollup_hour');
      expect(after.vacuums).toBe(before.vacuums + 1);
      expect(after.analyzes).toBe(before.analyzes + 1);
      expect(after.dead).toBe(0);
      expect(after.reltuples).toBe(
        Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM rollup_hour'))[0].n),
      );
      expect((await unvacuumedTables(pool)).find((t) => t.name === 'rollup_hour')).toEqual({
        name: 'rollup_hour',
        vacuum: false,
        analyze: false,
      });
      const done = lines.find((l) => l.msg === 'vacuumed and analyzed tables autovacuum leaves alone');
      expect(done?.vacuumed).toContain('rollup_hour');
      expect(done?.paced).toBe(true); // at autovacuum's cost delay, beside the ingest
      // The server's autovacuum = off is said once, at the first pass.
      const warnings = lines.filter((l) => l.level === 40 && /autovacuum is off/.test(l.msg));
      expect(warnings.length).toBe(serverAutovacuum ? 0 : 1);

      // Within a minute of the last look, a pass does not look again unless asked to. (This fold,
      // over statistics that say the table holds one row, ran for minutes as a nested loop.)
      await foldedKey(pool, new Date(bucket.getTime() + 3_600_000));
      maintenance.kick();
      await maintenance.idle();
      expect((await stats('rollup_hour')).vacuums).toBe(after.vacuums);
      maintenance.kick([], true);
      await maintenance.idle();
      expect((await stats('rollup_hour')).vacuums).toBe(after.vacuums + 1);
      // Asked for (the end of a --once run): at full speed.
      expect(lines.filter((l) => l.msg === done?.msg).map((l) => l.paced)).toEqual([true, false]);
      expect(lines.filter((l) => /autovacuum is off/.test(l.msg)).length).toBe(warnings.length);
      await maintenance.stop();

      // A worker with no more traffic folds nothing, and passes followed folds: tick(), called on
      // every turn of the worker's loop, looks again once vacuumEveryMs has passed.
      const ticking = new Maintenance({ pool, logger, vacuumEveryMs: 3_000 });
      ticking.tick();
      await ticking.idle();
      await foldedKey(pool, new Date(bucket.getTime() + 2 * 3_600_000));
      const folded = (await stats('rollup_hour')).vacuums;
      ticking.tick(); // under 3 s since the last look: nothing
      await ticking.idle();
      expect((await stats('rollup_hour')).vacuums).toBe(folded);
      await new Promise((resolve) => setTimeout(resolve, 3_100));
      ticking.tick();
      await ticking.idle();
      expect((await stats('rollup_hour')).vacuums).toBe(folded + 1);
      expect((await stats('rollup_hour')).dead).toBe(0);
      await ticking.stop();
    } finally {
      await pool.query('DELETE FROM rollup_hour WHERE bucket >= $1', [bucket]);
      await pool.query('ALTER TABLE rollup_hour RESET (autovacuum_enabled)');
      await closePool(pool);
    }
  });

  it('stop() cancels a rebuild waiting on a long transaction; the next one drops what it left, TOAST index too', async () => {
    // A slice table: its text columns give it a TOAST table, whose index REINDEX TABLE rebuilds too.
    const t = 'rollup_slice_day';
    const pool = new pg.Pool({ connectionString: db.url, max: 3 });
    const holder = new pg.Client({ connectionString: db.url });
    await holder.connect();
    const bucket = new Date('2031-04-01T00:00:00Z');
    const invalid = async () =>
      (
        await db.query<{ name: string }>(
          `SELECT i.indexrelid::regclass::text AS name FROM pg_index i
            WHERE i.indrelid IN ('${t}'::regclass, (SELECT reltoastrelid FROM pg_class WHERE oid = '${t}'::regclass))
              AND NOT i.indisvalid ORDER BY 1`,
        )
      ).map((r) => r.name);
    try {
      await pool.query(`ALTER TABLE ${t} SET (autovacuum_enabled = off)`);
      expect(await foldScratchKey(pool, t, bucket)).toBe(29_999);
      await pool.query(`ANALYZE ${t}`);
      const bloated = await indexSize(pool, t);

      // A transaction holding its snapshot: REINDEX CONCURRENTLY waits for it.
      await holder.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      await holder.query('SELECT count(*) FROM acct_file');
      const { logger } = capturingLogger();
      const waiting = new Maintenance({ pool, logger, indexes: new IndexKeeper(0, '60s', 0) });
      waiting.kick([t]);
      await waitFor(
        () =>
          db.query(
            `SELECT 1 FROM pg_stat_activity WHERE query LIKE 'REINDEX TABLE CONCURRENTLY ${t}%' AND wait_event_type = 'Lock'`,
          ),
        (rows) => rows.length > 0,
        10_000,
      );
      const started = Date.now();
      await waiting.stop();
      expect(Date.now() - started).toBeLessThan(3_000);
      await holder.query('COMMIT');
      // The cut-short rebuild left its unfinished copies, the TOAST table's among them.
      const left = await invalid();
      expect(left.some((name) => name.startsWith('pg_toast.') && name.endsWith('_ccnew'))).toBe(true);

      // The next worker's first look drops them all, then rebuilds.
      const { logger: next, lines } = capturingLogger();
      const maintenance = new Maintenance({ pool, logger: next, indexes: new IndexKeeper(0, '5s', 0) });
      maintenance.kick([t]);
      await maintenance.idle();
      expect(lines.map((l) => l.msg)).toContain('rebuilt the indexes of a compacted rollup table');
      expect(await invalid()).toEqual([]);
      expect((await indexSize(pool, t)).bytes).toBeLessThan(bloated.bytes / 2);
      await maintenance.stop();
    } finally {
      await holder.end();
      await pool.query(`DELETE FROM ${t} WHERE bucket >= $1`, [bucket]);
      await pool.query(`ALTER TABLE ${t} RESET (autovacuum_enabled)`);
      await closePool(pool);
    }
  });

  it("a worker's stop() cancels its upkeep at once, while the ingest's turn is still running", async () => {
    // Soak: the upkeep stopped only once the ingest's turn had ended (a catch-up batch), and
    // meanwhile started a VACUUM 5.4 s after Ctrl-C. Here a rebuild waits on a long transaction
    // and the ingest's turn waits on a lock: stop() must cancel the rebuild without the turn.
    const t = 'rollup_slice_hour';
    const other = await createTestDatabase();
    const pool = new pg.Pool({ connectionString: other.url, max: 3 });
    const holder = new pg.Client({ connectionString: other.url });
    const blocker = new pg.Client({ connectionString: other.url });
    await holder.connect();
    await blocker.connect();
    const activity = (like: string) =>
      other.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query LIKE $1 AND wait_event_type = 'Lock'`,
        [like],
      );
    let follower: ReturnType<typeof followWorker> | undefined;
    try {
      await pool.query(`ALTER TABLE ${t} SET (autovacuum_enabled = off)`);
      expect(await foldScratchKey(pool, t, new Date('2031-05-01T00:00:00Z'))).toBe(29_999);
      await pool.query(`ANALYZE ${t}`);
      await holder.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      await holder.query('SELECT 1'); // its snapshot, no lock on acct_file
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE acct_file IN ACCESS EXCLUSIVE MODE');

      follower = followWorker(other.url, [copyFixtures('acct-maint-stop-')], {
        indexes: new IndexKeeper(0, '60s', 0),
      });
      let ended = false;
      follower.worker.maintenance.kick([t]);
      await waitFor(
        () => activity(`REINDEX TABLE CONCURRENTLY ${t}%`),
        (rows) => rows.length > 0,
        10_000,
      );
      await waitFor(
        () => activity('%acct_file%'),
        (rows) => rows.length > 0,
        10_000,
      );

      const started = Date.now();
      const stopping = follower.stop().then(() => {
        ended = true;
      });
      await waitFor(
        () => activity(`REINDEX TABLE CONCURRENTLY ${t}%`),
        (rows) => rows.length === 0,
        10_000,
      );
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(ended).toBe(false); // the ingest's turn still waits on acct_file
      await blocker.query('COMMIT');
      await holder.query('COMMIT');
      await stopping;
      follower = undefined;
    } finally {
      await blocker.query('ROLLBACK').catch(() => {});
      await holder.query('ROLLBACK').catch(() => {});
      await blocker.end();
      await holder.end();
      await follower?.stop().catch(() => {});
      await closePool(pool);
      await other.drop();
    }
  });

  it('a --once run that finds nothing new still rebuilds a bloated rollup index', async () => {
    // Soak: a following worker's bloat outlived the --once run after it, which folded nothing and
    // so looked at no index.
    const other = await createTestDatabase();
    const pool = new pg.Pool({ connectionString: other.url, max: 2 });
    try {
      const dirs = [copyFixtures('acct-maint-idle-')];
      await ingestOnce(other.url, dirs);
      const t = 'rollup_slice_day';
      expect(await foldScratchKey(pool, t, new Date('2031-06-01T00:00:00Z'))).toBe(29_999);
      await pool.query(`VACUUM ANALYZE ${t}`);
      const bloated = await indexSize(pool, t);
      const { logger, lines } = capturingLogger();
      const progress = await ingestOnce(other.url, dirs, { logger, indexes: new IndexKeeper(0, '5s', 0) });
      expect(progress.records).toBe(0);
      expect(
        lines.filter((l) => l.msg === 'rebuilt the indexes of a compacted rollup table').map((l) => l.table),
      ).toContain(t);
      expect((await indexSize(pool, t)).bytes).toBeLessThan(bloated.bytes / 2);
    } finally {
      await closePool(pool);
      await other.drop();
    }
  });

  it('a --once run ends with the tables autovacuum leaves alone vacuumed and analyzed', async () => {
    const other = await createTestDatabase();
    try {
      await other.query('ALTER TABLE rollup_slice_day SET (autovacuum_enabled = off)');
      await other.query('ALTER TABLE vmta_ip SET (autovacuum_enabled = off)');
      const { logger, lines } = capturingLogger();
      // Batches of ~300 records: the day slices are written by many batches, then folded.
      const dirs = await fixturesAndGenerated('acct-maint-', { records: 30_000, days: 3 });
      const progress = await ingestOnce(other.url, dirs, { logger, batchRecords: 300 });
      expect(progress.records).toBeGreaterThan(30_000);
      const rows = await other.query<{ relname: string; vacuums: number; analyzes: number; dead: number }>(
        `SELECT relname, vacuum_count::int AS vacuums, analyze_count::int AS analyzes, n_dead_tup::int AS dead
           FROM pg_stat_user_tables WHERE relname IN ('rollup_slice_day', 'vmta_ip') ORDER BY relname`,
      );
      // The fold left thousands of dead day rows: vacuumed. vmta_ip's upserts may leave fewer dead
      // rows than autovacuum's threshold (50 + 20 %): analyzed, at least.
      expect(rows[0]).toEqual({ relname: 'rollup_slice_day', vacuums: 1, analyzes: 1, dead: 0 });
      expect(rows[1]).toMatchObject({ relname: 'vmta_ip', analyzes: 1 });
      // Analyzed after the final fold: the planner's row counts are the tables' (ANALYZE reads every
      // row of tables this small).
      for (const table of ['rollup_slice_day', 'vmta_ip']) {
        const [{ reltuples, n }] = await other.query<{ reltuples: number; n: string }>(
          `SELECT (SELECT reltuples FROM pg_class WHERE relname = '${table}') AS reltuples, count(*) AS n FROM ${table}`,
        );
        expect(reltuples).toBe(Number(n));
      }
      expect(lines.some((l) => l.msg === 'vacuumed and analyzed tables autovacuum leaves alone')).toBe(true);
    } finally {
      await other.drop();
    }
  });
});
