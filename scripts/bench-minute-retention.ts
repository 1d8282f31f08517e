import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { generateFiles } from '../ingest/demo/generator.ts';
import { MINUTE_TABLES, type MinuteTable, pruneMinuteRollups } from '../ingest/minute-retention.ts';
import { migrate } from '../lib/db/migrate.ts';
import { assertLocal, dropDatabase, fmt, freshDatabase, runWorkerOnce } from './bench-common.ts';

// `npm run bench:minute-retention`: how long the worker's MINUTE_ROLLUP_RETENTION_DAYS takes to
// delete a day of minute rollups at 100M records a day. The demo's 1M records over 15 minutes
// (`--layout full`) are ingested by the real worker, their minute rows copied into the other 95
// quarter hours of the day (BENCH_MINRET_HOURS to fill fewer), the tables vacuumed and analyzed as
// autovacuum would leave them, then the day is deleted as the worker deletes it. Against
// DATABASE_URL's server (127.0.0.1 only), in a database of its own, dropped at the end.

const DB_NAME = 'acctscope_bench_minute_retention';
const MINUTE = 60_000;
const DAY = 86_400_000;
const HOURS = Number(process.env.BENCH_MINRET_HOURS ?? 24);
const RECORDS = Number(process.env.BENCH_MINRET_RECORDS ?? 1_000_000);
/** The day filled: any past UTC day. */
const DAY_START = Date.parse('2026-11-02T00:00:00Z');

async function main() {
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) throw new Error('DATABASE_URL must name a local PostgreSQL server');
  assertLocal(adminUrl);
  const url = await freshDatabase(adminUrl, DB_NAME);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'acct-bench-minret-'));
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  try {
    await migrate(url);
    await generateFiles({
      out: dir,
      records: RECORDS,
      days: 15 / 1440,
      end: new Date(DAY_START + 15 * MINUTE),
      seed: 3,
      layout: 'full',
    });
    const ingest = await runWorkerOnce(url, dir);
    console.log(`ingested ${fmt(ingest.records)} records in ${fmt(ingest.elapsedMs)} ms`);
    for (const table of MINUTE_TABLES) {
      const [r] = (
        await pool.query<{ n: string; minutes: string }>(
          `SELECT count(*) AS n, count(DISTINCT bucket) AS minutes FROM ${table}`,
        )
      ).rows;
      console.log(
        `${table}: ${fmt(Number(r.n))} rows over ${r.minutes} minutes (${fmt(Number(r.n) / Number(r.minutes))}/minute)`,
      );
    }
    const quarters = (HOURS * 60) / 15;
    const filled = performance.now();
    for (const table of MINUTE_TABLES) {
      const cols =
        table === 'rollup_slice_minute'
          ? 'kind, key, type, file_id, batch_offset, n'
          : 'dim_id, file_id, batch_offset, n';
      await pool.query(
        `INSERT INTO ${table} (bucket, ${cols})
         SELECT r.bucket + k * interval '15 minutes', ${cols.replace(/(\w+)/g, 'r.$1')}
           FROM ${table} r, generate_series(1, $1::int - 1) k
          WHERE r.bucket >= $2 AND r.bucket < $3`,
        [quarters, new Date(DAY_START), new Date(DAY_START + 15 * MINUTE)],
      );
    }
    await pool.query(`VACUUM ANALYZE ${MINUTE_TABLES.join(', ')}`);
    const rows: Record<string, number> = {};
    for (const table of MINUTE_TABLES) {
      const { rows: r } = await pool.query<{ n: string; bytes: string }>(
        `SELECT count(*) AS n, pg_total_relation_size($1) AS bytes FROM ${table}`,
        [table],
      );
      rows[table] = Number(r[0].n);
      console.log(
        `${table}: ${fmt(rows[table])} rows, ${fmt(Number(r[0].bytes) / 2 ** 20)} MiB with indexes`,
      );
    }
    console.log(`filled ${HOURS} hours in ${fmt(performance.now() - filled)} ms`);

    // A 1-day retention two days later: the whole filled day is before the first day kept.
    const stats = new Map<MinuteTable, { statements: number; ms: number; longest: number }>();
    const started = performance.now();
    const result = await pruneMinuteRollups(pool, 1, {
      now: DAY_START + 2 * DAY + 3_600_000,
      graceMs: 0,
      onBatch: (table, _rows, ms) => {
        const s = stats.get(table) ?? { statements: 0, ms: 0, longest: 0 };
        s.statements += 1;
        s.ms += ms;
        s.longest = Math.max(s.longest, ms);
        stats.set(table, s);
      },
    });
    const total = performance.now() - started;
    for (const table of MINUTE_TABLES) {
      const s = stats.get(table);
      const n = result.deleted[table];
      if (n !== rows[table]) throw new Error(`${table}: deleted ${n} of ${rows[table]} rows`);
      console.log(
        `${table}: deleted ${fmt(n)} rows in ${fmt(s?.ms ?? 0)} ms (${fmt((n / (s?.ms ?? 1)) * 1000)} rows/s), ` +
          `${s?.statements} statements, longest ${fmt(s?.longest ?? 0)} ms`,
      );
    }
    console.log(`deleted ${HOURS} hours of minute rollups in ${(total / 1000).toFixed(1)} s`);
  } finally {
    await pool.end();
    rmSync(dir, { recursive: true, force: true });
    await dropDatabase(adminUrl, DB_NAME);
  }
}

await main();
