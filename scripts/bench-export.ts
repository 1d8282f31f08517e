import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { generateFiles } from '../ingest/demo/generator.ts';
import { migrate } from '../lib/db/migrate.ts';
import { parseFilters } from '../lib/filters.ts';
import type { RecordQuery } from '../lib/queries/get-records.ts';
import {
  assertLocal,
  databaseUrl,
  dropDatabase,
  fmt,
  freshDatabase,
  ROOT,
  runWorkerOnce,
} from './bench-common.ts';

// `npm run bench:export`: the records CSV export (GET /api/v1/records?format=csv, exportRecords)
// of every record of a window, beside a plain PostgreSQL `COPY (SELECT the same columns, same
// join and order) TO STDOUT (FORMAT csv)` of the same rows in the same run: this machine is
// shared, so the figure to compare is the ratio. Loads BENCH_EXPORT_RECORDS generated records
// (default 300,000, one day) with the real worker into a database of its own (BENCH_EXPORT_DB,
// default acctscope_bench_export) on the server of BENCH_DATABASE_URL or DATABASE_URL (127.0.0.1
// only), dropped at the end. BENCH_EXPORT_BEFORE=path of another checkout's
// lib/queries/export-records.ts (the code before a change) times it too, alternating with this
// one's, and checks both wrote the same bytes. BENCH_EXPORT_REPEATS runs of each (default 3).
// BENCH_EXPORT_KEEP=1 keeps the database, and a later run with it reuses it as it is (profiling).

const RECORDS = Number(process.env.BENCH_EXPORT_RECORDS ?? 300_000);
const REPEATS = Number(process.env.BENCH_EXPORT_REPEATS ?? 3);
const DB_NAME = process.env.BENCH_EXPORT_DB ?? 'acctscope_bench_export';
const BEFORE = process.env.BENCH_EXPORT_BEFORE;
const KEEP = process.env.BENCH_EXPORT_KEEP === '1';
const DATA = path.join(ROOT, '.bench/export');
const END = new Date('2026-03-02T00:00:00Z');

interface Run {
  ms: number;
  bytes: number;
  sha256: string;
  peakRssMb: number;
}

/** Reads a stream to its end: its time, bytes, hash and the peak RSS meanwhile. */
async function timed(open: () => Promise<unknown>): Promise<Run> {
  globalThis.gc?.();
  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 20);
  const hash = createHash('sha256');
  let bytes = 0;
  const start = performance.now();
  const source = await open();
  await pipeline(
    source as AsyncIterable<Uint8Array>,
    new Writable({
      write(chunk: Uint8Array, _enc, done) {
        bytes += chunk.length;
        hash.update(chunk);
        done();
      },
    }),
  );
  const ms = performance.now() - start;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage.rss());
  return { ms, bytes, sha256: hash.digest('hex'), peakRssMb: peak / 2 ** 20 };
}

/** The same columns as the export, in its order, as PostgreSQL's own CSV writer writes them. */
function copySql(from: string, to: string, fields: readonly (readonly [string, string])[]): string {
  const cols = fields.map(([, column]) => (column === 'path' ? 'a.path' : `r.${column}`));
  return `COPY (SELECT r.file_id || ':' || r.byte_offset, ${cols.join(', ')},
      CASE WHEN r.extra = '{}' THEN NULL ELSE r.extra END
      FROM acct_record r LEFT JOIN acct_file a ON a.id = r.file_id
     WHERE r.time_logged >= '${from}' AND r.time_logged < '${to}'
     ORDER BY r.time_logged DESC, r.file_id DESC, r.byte_offset DESC) TO STDOUT (FORMAT csv, HEADER true)`;
}

/** A fresh database holding RECORDS generated records over one day, loaded by the real worker. */
async function load(adminUrl: string): Promise<string> {
  const url = await freshDatabase(adminUrl, DB_NAME);
  await migrate(url);
  rmSync(DATA, { recursive: true, force: true });
  const gen = await generateFiles({ out: DATA, records: RECORDS, days: 1, end: END, incidents: [] });
  const worker = await runWorkerOnce(url, DATA);
  rmSync(DATA, { recursive: true, force: true });
  console.log(
    `loaded ${fmt(worker.records)} records (${fmt(gen.bytes / 2 ** 20)} MB of accounting files) in ${fmt(worker.elapsedMs / 1000)} s`,
  );
  return url;
}

/** Whether database DB_NAME exists, from a run with BENCH_EXPORT_KEEP. */
async function loaded(adminUrl: string): Promise<boolean> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DB_NAME]);
  await admin.end();
  return rowCount === 1;
}

async function main() {
  const adminUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
  if (!adminUrl) throw new Error('BENCH_DATABASE_URL or DATABASE_URL is required (a server on 127.0.0.1)');
  assertLocal(adminUrl);
  const url = KEEP && (await loaded(adminUrl)) ? databaseUrl(adminUrl, DB_NAME) : await load(adminUrl);
  try {
    // The export reads DATABASE_URL when it starts.
    process.env.DATABASE_URL = url;
    const { exportRecords, RECORD_CSV_FIELDS } = await import('../lib/queries/export-records.ts');
    const before: typeof exportRecords | undefined = BEFORE
      ? (await import(path.resolve(BEFORE))).exportRecords
      : undefined;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query('VACUUM ANALYZE');
    const { rows } = await client.query<{ from: Date; to: Date; n: number }>(
      `SELECT min(time_logged) AS from, max(time_logged) + interval '1 ms' AS to, count(*)::int AS n FROM acct_record`,
    );
    const { from, to, n } = rows[0];
    const window = `from=${from.toISOString()}&to=${to.toISOString()}`;
    const query: RecordQuery = { filters: parseFilters(new URLSearchParams(window)), types: [], limit: 50 };
    const copy = copySql(from.toISOString(), to.toISOString(), RECORD_CSV_FIELDS);

    const variants: [string, () => Promise<Run>][] = [
      ['COPY … TO STDOUT (FORMAT csv)', () => timed(async () => client.query(copyTo(copy)))],
      ['exportRecords', () => timed(async () => await exportRecords(query))],
    ];
    if (before) variants.push(['exportRecords before', () => timed(async () => await before(query))]);
    const runs = new Map<string, Run[]>(variants.map(([name]) => [name, []]));
    // One unmeasured export warms the caches (the table, the JIT); then the variants alternate.
    await timed(async () => await exportRecords(query));
    for (let i = 0; i < REPEATS; i++) {
      for (const [name, run] of variants) runs.get(name)!.push(await run());
    }
    await client.end();

    console.log(`\n${fmt(n)} records, window ${window}, ${REPEATS} runs each, alternating (best run shown)`);
    console.log(
      `${'variant'.padEnd(32)} ${'s'.padStart(6)} ${'rows/s'.padStart(9)} ${'MB/s'.padStart(6)} ${'MB'.padStart(5)} ${'peak RSS'.padStart(9)}  × COPY`,
    );
    const best = (name: string) => runs.get(name)!.reduce((a, b) => (b.ms < a.ms ? b : a));
    const median = (name: string) => [...runs.get(name)!].sort((a, b) => a.ms - b.ms)[(REPEATS - 1) >> 1];
    const copyMs = best(variants[0][0]).ms;
    for (const [name] of variants) {
      const r = best(name);
      console.log(
        `${name.padEnd(32)} ${(r.ms / 1000).toFixed(2).padStart(6)} ${fmt((n / r.ms) * 1000).padStart(9)} ${(r.bytes / 2 ** 20 / (r.ms / 1000)).toFixed(1).padStart(6)} ${fmt(r.bytes / 2 ** 20).padStart(5)} ${`${fmt(r.peakRssMb)} MB`.padStart(9)}  ${(r.ms / copyMs).toFixed(2)}`,
      );
      console.log(
        `${''.padEnd(32)} runs: ${runs
          .get(name)!
          .map((x) => (x.ms / 1000).toFixed(2))
          .join(', ')} s`,
      );
    }
    if (before) {
      const hashes = new Set(
        [...runs.get('exportRecords')!, ...runs.get('exportRecords before')!].map((r) => r.sha256),
      );
      if (hashes.size !== 1) throw new Error('the export and the one before wrote different bytes');
      console.log(
        `\nexportRecords and exportRecords before wrote the same bytes (sha256 ${[...hashes][0].slice(0, 16)}…)`,
      );
      const ratio = (pick: (name: string) => Run) =>
        (pick('exportRecords before').ms / pick('exportRecords').ms).toFixed(2);
      console.log(`speed-up: ${ratio(best)}× (best runs), ${ratio(median)}× (median runs)`);
    }
  } finally {
    if (!KEEP) await dropDatabase(adminUrl, DB_NAME);
  }
}

await main();
