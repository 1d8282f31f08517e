import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  rmSync,
  statSync,
} from 'node:fs';
import { appendFile, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { ROLLUP_TABLES } from '../ingest/compact.ts';
import { generateFiles } from '../ingest/demo/generator.ts';
import { parseLines } from '../lib/acct/parse-lines.ts';
import { splitRecords } from '../lib/acct/split-records.ts';
import type { AcctRecord } from '../lib/acct/types.ts';
import { startEmbeddedPostgres } from '../lib/db/embedded.ts';
import { migrate } from '../lib/db/migrate.ts';
import { PrismaClient } from '../lib/generated/prisma/client.ts';
import {
  assertLocal,
  dropDatabase,
  fmt,
  freshDatabase,
  pct,
  postgresCpuMs,
  ROOT,
  runWorkerOnce,
} from './bench-common.ts';
import { spawnWorker } from './build-worker.ts';

// `npm run bench:ingest`: end-to-end ingest vs a plain COPY (physical limit) vs a naive Prisma
// createMany loader (baseline), all on the same generated data in the same run, plus peak RSS and
// live freshness. Only 127.0.0.1 is targeted.

const RECORDS = Number(process.env.BENCH_RECORDS ?? 1_000_000);
const NAIVE_RECORDS = Math.min(RECORDS, Number(process.env.BENCH_NAIVE_RECORDS ?? 100_000));
const APPENDS = Number(process.env.BENCH_APPENDS ?? 50);
const DATA = path.join(ROOT, '.bench/ingest');

async function copyBaseline(url: string, files: string[]): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const header = (await readFile(files[0], 'utf8')).split('\n', 1)[0].split(',');
  await client.query(`CREATE TABLE bare (${header.map((h) => `"${h}" text`).join(', ')})`);
  const start = performance.now();
  for (const f of files) {
    await pipeline(
      createReadStream(f),
      client.query(copyFrom('COPY bare FROM STDIN WITH (FORMAT csv, HEADER true)')),
    );
  }
  const ms = performance.now() - start;
  const { rows } = await client.query('SELECT count(*)::int AS n FROM bare');
  await client.end();
  if (rows[0].n !== RECORDS) throw new Error(`COPY loaded ${rows[0].n} rows, expected ${RECORDS}`);
  return ms;
}

/** What the ingest stores, one table at a time: the dictionaries first, then raw rows and rollups. */
const STORED_TABLES = [
  'acct_file',
  'acct_dim',
  'insight_dim',
  'diag_template',
  'vmta_ip',
  'acct_record',
  ...ROLLUP_TABLES,
];

/**
 * Runs `run`, with the CPU the server of `adminUrl` spent meanwhile (null when its processes are not
 * readable here). Each reading first waits for the server to reap the backends that just exited.
 */
async function withServerCpu<T>(
  adminUrl: string,
  run: () => Promise<T>,
): Promise<{ value: T; cpuMs: number | null }> {
  const reading = async () => {
    await new Promise((r) => setTimeout(r, 300));
    return postgresCpuMs(adminUrl);
  };
  const before = await reading();
  const value = await run();
  const after = await reading();
  return { value, cpuMs: before === null || after === null ? null : after - before };
}

/**
 * PostgreSQL alone storing what the ingest stored: every row the ingest left in `fromUrl` (raw
 * records, dictionaries, rollups after their final fold) dumped in COPY binary, then copied into
 * a fresh migrated database (its indexes, its day partitions) one table after another on one
 * connection. No parsing, no worker, no batches: the least PostgreSQL work any ingest writing this
 * schema could cost, to set beside the plain COPY's. `fromUrl`'s database is dropped once dumped
 * (autovacuum of its fresh rows would run beside the timed copy).
 */
async function storedRowsBaseline(
  adminUrl: string,
  fromUrl: string,
): Promise<{ ms: number; cpuMs: number | null }> {
  const dumps = path.join(DATA, 'stored-rows');
  rmSync(dumps, { recursive: true, force: true });
  mkdirSync(dumps, { recursive: true });
  const source = new pg.Client({ connectionString: fromUrl });
  await source.connect();
  const { rows: days } = await source.query<{ day: string }>(
    `SELECT DISTINCT to_char(time_logged AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day FROM acct_record`,
  );
  for (const table of STORED_TABLES) {
    await pipeline(
      source.query(copyTo(`COPY (SELECT * FROM ${table}) TO STDOUT (FORMAT binary)`)),
      createWriteStream(path.join(dumps, `${table}.bin`)),
    );
  }
  await source.end();
  await dropDatabase(adminUrl, new URL(fromUrl).pathname.slice(1));
  const url = await freshDatabase(adminUrl, 'acctscope_bench_stored');
  await migrate(url);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  for (const { day } of days) await client.query('SELECT acctscope_ensure_partition($1::date)', [day]);
  const { value: ms, cpuMs } = await withServerCpu(adminUrl, async () => {
    const start = performance.now();
    for (const table of STORED_TABLES) {
      await pipeline(
        createReadStream(path.join(dumps, `${table}.bin`)),
        client.query(copyFrom(`COPY ${table} FROM STDIN (FORMAT binary)`)),
      );
    }
    return performance.now() - start;
  });
  const { rows } = await client.query('SELECT count(*)::int AS n FROM acct_record');
  await client.end();
  await dropDatabase(adminUrl, 'acctscope_bench_stored');
  rmSync(dumps, { recursive: true, force: true });
  if (rows[0].n !== RECORDS)
    throw new Error(`stored-rows copy holds ${rows[0].n} records, expected ${RECORDS}`);
  return { ms, cpuMs };
}

/** The obvious loader: parse, then Prisma createMany in chunks of 1,000, no rollups, no checkpoints. */
async function naiveBaseline(url: string, files: string[]): Promise<number> {
  await migrate(url);
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
  const records: { rec: AcctRecord; offset: number }[] = [];
  for (const f of files) {
    const buf = await readFile(f);
    const { lines } = splitRecords(buf, 0, { atFileStart: true });
    for (const p of parseLines(lines, null).parsed) {
      if (p.kind === 'record') records.push({ rec: p.record, offset: p.line.offset });
      if (records.length >= NAIVE_RECORDS) break;
    }
    if (records.length >= NAIVE_RECORDS) break;
  }
  const days = new Set(records.map((r) => r.rec.timeLogged.toISOString().slice(0, 10)));
  for (const d of days) await prisma.$executeRaw`SELECT acctscope_ensure_partition(${d}::date)`;
  const file = await prisma.acctFile.create({
    data: { source: 'naive', path: files[0], dev: '0', ino: '0' },
  });
  const start = performance.now();
  for (let i = 0; i < records.length; i += 1000) {
    await prisma.acctRecord.createMany({
      data: records.slice(i, i + 1000).map(({ rec, offset }) => ({
        ...rec,
        extra: rec.extra,
        fileId: file.id,
        byteOffset: BigInt(offset),
        source: 'naive',
      })),
    });
  }
  const ms = performance.now() - start;
  await prisma.$disconnect();
  return (records.length / ms) * 1000;
}

async function freshness(url: string, dir: string): Promise<number[]> {
  const child = spawnWorker(['--dir', dir], {
    env: { DATABASE_URL: url, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  process.env.DATABASE_URL = url;
  const { GET } = await import('../app/api/v1/stats/summary/route.ts');
  const { NextRequest } = await import('next/server');
  const live = path.join(dir, 'acct-live-0000.csv');
  const from = new Date(Date.now() - 3_600_000).toISOString();
  const to = new Date(Date.now() + 3_600_000).toISOString();
  const delivered = async () => {
    const res = await GET(new NextRequest(`http://127.0.0.1/api/v1/stats/summary?from=${from}&to=${to}`));
    return (await res.json()).counts.delivered as number;
  };
  await appendFile(live, 'type,timeLogged,rcpt,vmta,dlvSourceIp\n');
  const latencies: number[] = [];
  let seen = await delivered();
  for (let i = 0; i < APPENDS + 3; i++) {
    const t0 = performance.now();
    await appendFile(
      live,
      `d,${new Date().toISOString().replace('T', ' ').slice(0, 19)}+0000,u${i}@gmail.com,vmta1,203.0.113.9\n`,
    );
    for (;;) {
      const now = await delivered();
      if (now > seen) {
        seen = now;
        break;
      }
      if (performance.now() - t0 > 10_000) throw new Error('append not visible after 10 s');
      await new Promise((r) => setTimeout(r, 5));
    }
    if (i >= 3) latencies.push(performance.now() - t0); // the first appends warm the worker up
    await new Promise((r) => setTimeout(r, 50 + Math.random() * 100));
  }
  child.kill('SIGTERM');
  return latencies.sort((a, b) => a - b);
}

/**
 * Where the CPU went (seconds): PostgreSQL's for the plain COPY; the worker's and PostgreSQL's for
 * the ingest; and the ingest's total over the COPY's. The runs' wall times are bounded by these on
 * a machine of few cores: when both runs keep the cores busy, the ingest / COPY ratio of
 * throughput cannot exceed (cores used by the ingest) × COPY CPU / ingest CPU. Then PostgreSQL's
 * for the stored rows alone, and the CPU that leaves the worker at 0.5 ×.
 */
function cpuRows(
  copy: { ms: number; pg: number | null },
  oursPg: number | null,
  worker: number,
  storedPg: number | null,
): [string, string, string][] {
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  if (copy.pg === null || oursPg === null) return [['CPU', 'PostgreSQL not readable here', '']];
  const rows: [string, string, string][] = [
    ['CPU, plain COPY', `PostgreSQL ${s(copy.pg)}`, ''],
    ['CPU, ingest', `worker ${s(worker)} + PostgreSQL ${s(oursPg)}`, ''],
    ['ingest CPU / COPY CPU', `${((worker + oursPg) / copy.pg).toFixed(1)} ×`, ''],
  ];
  if (storedPg === null) return rows;
  // At 0.5 × the ingest may take twice the COPY's time, on every core: what PostgreSQL needs at
  // the least (the stored rows alone) leaves the rest of that CPU to the worker and to batching.
  const budget = os.cpus().length * 2 * copy.ms;
  return [
    ...rows,
    ['CPU, stored rows alone', `PostgreSQL ${s(storedPg)}`, `${(storedPg / copy.pg).toFixed(1)} × COPY's`],
    [
      'CPU left to the worker at 0.5 ×',
      s(budget - storedPg),
      `${os.cpus().length} cores × 2 × COPY time − stored rows' CPU`,
    ],
  ];
}

async function main() {
  let adminUrl = process.env.DATABASE_URL;
  let stopServer = async () => {};
  if (!adminUrl) {
    const s = await startEmbeddedPostgres(path.join(ROOT, '.data/bench-postgres'), 54332);
    adminUrl = s.adminUrl;
    stopServer = s.stop;
  }
  assertLocal(adminUrl);
  const dir = path.join(DATA, `simple-${RECORDS}`);
  if (!existsSync(dir) || readdirSync(dir).length === 0) {
    mkdirSync(dir, { recursive: true });
    console.log(`generating ${fmt(RECORDS)} records (default 23-column header) into ${dir} …`);
    await generateFiles({
      out: dir,
      records: RECORDS,
      days: 1,
      end: new Date('2026-06-02T00:00:00Z'),
      layout: 'simple',
      seed: 1,
    });
  }
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.csv'))
    .sort()
    .map((f) => path.join(dir, f));
  const bytes = files.reduce((s, f) => s + statSync(f).size, 0);

  // An earlier run's databases go first: autovacuum on them would run beside this run's phases.
  for (const name of ['copy', 'ingest', 'stored', 'naive', 'live'])
    await dropDatabase(adminUrl, `acctscope_bench_${name}`);
  console.log('plain COPY into a bare table …');
  const copyUrl = await freshDatabase(adminUrl, 'acctscope_bench_copy');
  const { value: copyMs, cpuMs: copyCpu } = await withServerCpu(adminUrl, () => copyBaseline(copyUrl, files));
  // Autovacuum would otherwise process the 1M rows just copied while the ingest runs, on the same
  // cores (several CPU-seconds of PostgreSQL, counted as the ingest's): the table is dropped first.
  await dropDatabase(adminUrl, 'acctscope_bench_copy');
  console.log('acctscope ingest (parse + raw + rollups + checkpoint) …');
  const oursUrl = await freshDatabase(adminUrl, 'acctscope_bench_ingest');
  await migrate(oursUrl);
  const { value: ours, cpuMs: oursCpu } = await withServerCpu(adminUrl, () => runWorkerOnce(oursUrl, dir));
  if (ours.records !== RECORDS) throw new Error(`ingest counted ${ours.records}, expected ${RECORDS}`);
  console.log('PostgreSQL alone storing the rows the ingest stored …');
  const stored = await storedRowsBaseline(adminUrl, oursUrl);
  console.log(`naive Prisma createMany over ${fmt(NAIVE_RECORDS)} records …`);
  const naiveRps = await naiveBaseline(await freshDatabase(adminUrl, 'acctscope_bench_naive'), files);
  console.log(`freshness over ${APPENDS} appends …`);
  const liveDir = path.join(os.tmpdir(), `acct-bench-live-${process.pid}`);
  rmSync(liveDir, { recursive: true, force: true });
  mkdirSync(liveDir);
  const liveUrl = await freshDatabase(adminUrl, 'acctscope_bench_live');
  await migrate(liveUrl);
  const lat = await freshness(liveUrl, liveDir);

  const oursRps = (RECORDS / ours.elapsedMs) * 1000;
  const copyRps = (RECORDS / copyMs) * 1000;
  const rows: [string, string, string][] = [
    [
      'acctscope ingest (end-to-end)',
      `${fmt(oursRps)} records/s`,
      `${((bytes / 1048576 / ours.elapsedMs) * 1000).toFixed(1)} MB/s`,
    ],
    [
      'plain COPY, bare table',
      `${fmt(copyRps)} records/s`,
      `${((bytes / 1048576 / copyMs) * 1000).toFixed(1)} MB/s`,
    ],
    [
      'stored rows alone (COPY binary)',
      `${fmt((RECORDS / stored.ms) * 1000)} records/s`,
      `${(copyMs / stored.ms).toFixed(2)} × plain COPY`,
    ],
    [`naive Prisma createMany (${fmt(NAIVE_RECORDS)})`, `${fmt(naiveRps)} records/s`, ''],
    ['ingest / COPY', `${(oursRps / copyRps).toFixed(2)} ×`, 'target ≥ 0.5 ×'],
    ['ingest / naive', `${(oursRps / naiveRps).toFixed(1)} ×`, 'target ≥ 10 ×'],
    ['worker peak RSS', `${ours.maxRssMb} MB`, 'target ≤ 300 MB'],
    ...cpuRows({ ms: copyMs, pg: copyCpu }, oursCpu, ours.cpuMs, stored.cpuMs),
    ['freshness p50', `${pct(lat, 50).toFixed(0)} ms`, ''],
    ['freshness p95', `${pct(lat, 95).toFixed(0)} ms`, 'target ≤ 1000 ms'],
  ];
  console.log(
    `\n${fmt(RECORDS)} records, ${(bytes / 1048576).toFixed(1)} MB in ${files.length} file(s), ${os.cpus().length} cores`,
  );
  for (const [a, b, c] of rows) console.log(`${a.padEnd(38)} ${b.padStart(20)}   ${c}`);
  await stopServer();
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
