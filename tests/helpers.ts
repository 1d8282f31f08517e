import type { ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { NextRequest } from 'next/server';
import pg from 'pg';
import pino from 'pino';
import { GET as health } from '../app/api/health/route.ts';
import { GET as bounces } from '../app/api/v1/bounces/route.ts';
import { GET as dsnCodes } from '../app/api/v1/dsn-codes/route.ts';
import { GET as incidents } from '../app/api/v1/incidents/route.ts';
import { GET as ingestRejects } from '../app/api/v1/ingest/rejects/route.ts';
import { GET as ingestStatus } from '../app/api/v1/ingest/status/route.ts';
import { GET as latency } from '../app/api/v1/latency/route.ts';
import { GET as reasons } from '../app/api/v1/reasons/route.ts';
import { GET as records } from '../app/api/v1/records/route.ts';
import { GET as breakdown } from '../app/api/v1/stats/breakdown/route.ts';
import { GET as summary } from '../app/api/v1/stats/summary/route.ts';
import { GET as timeseries } from '../app/api/v1/stats/timeseries/route.ts';
import { GET as suppressions } from '../app/api/v1/suppressions/route.ts';
import { compactRollups, type RollupTable } from '../ingest/compact.ts';
import { type GenerateOptions, generateFiles } from '../ingest/demo/generator.ts';
import { IngestWorker, type WorkerOptions } from '../ingest/worker.ts';
import { parseAcctDirs } from '../lib/env.ts';

export const silentLogger = pino({ level: 'silent' });

const FIXTURES = path.resolve(import.meta.dirname, '../e2e/fixtures');

/** A new temp folder (named from `prefix`) holding a copy of the e2e fixtures: every quirk. */
export function copyFixtures(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  for (const f of readdirSync(FIXTURES)) cpSync(path.join(FIXTURES, f), path.join(dir, f));
  return dir;
}

/**
 * A new temp folder (named from `prefix`) holding one accounting file of `lines` (a header, then
 * records), last written a minute ago: a finished file, not one being written to.
 */
export function folderWithLines(prefix: string, name: string, lines: string[]): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  const file = path.join(dir, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  const aMinuteAgo = new Date(Date.now() - 60_000);
  utimesSync(file, aMinuteAgo, aMinuteAgo);
  return dir;
}

/**
 * copyFixtures, and in the folder's `gen` folder the generator's files for `gen`: the two folders
 * to ingest.
 */
export async function fixturesAndGenerated(
  prefix: string,
  gen: Omit<GenerateOptions, 'out'>,
): Promise<string[]> {
  const dir = copyFixtures(prefix);
  const out = path.join(dir, 'gen');
  await generateFiles({ ...gen, out });
  return [dir, out];
}

/** Runs the real ingest worker once over folders (`--once`), in this process. */
export async function ingestOnce(databaseUrl: string, dirs: string[], extra: Partial<WorkerOptions> = {}) {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 3 });
  try {
    const worker = new IngestWorker({
      pool,
      dirs: parseAcctDirs(dirs, 'test-host'),
      logger: silentLogger,
      once: true,
      ...extra,
    });
    await worker.run();
    return worker.progress;
  } finally {
    await pool.end();
  }
}

/** Starts a following worker; `stop()` ends it and waits. */
export function followWorker(databaseUrl: string, dirs: string[], extra: Partial<WorkerOptions> = {}) {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 3 });
  const worker = new IngestWorker({
    pool,
    dirs: parseAcctDirs(dirs, 'test-host'),
    logger: silentLogger,
    pollMs: 100,
    ...extra,
  });
  const running = worker.run();
  return {
    worker,
    async stop() {
      worker.stop();
      await running;
      await pool.end();
    },
  };
}

const ROUTES: Record<string, (req: NextRequest) => Promise<Response> | Response> = {
  '/api/v1/stats/summary': summary,
  '/api/v1/stats/timeseries': timeseries,
  '/api/v1/stats/breakdown': breakdown,
  '/api/v1/ingest/status': ingestStatus,
  '/api/v1/ingest/rejects': ingestRejects,
  '/api/v1/records': records,
  '/api/v1/incidents': incidents,
  '/api/v1/bounces': bounces,
  '/api/v1/reasons': reasons,
  '/api/v1/latency': latency,
  '/api/v1/dsn-codes': dsnCodes,
  '/api/v1/suppressions': suppressions,
  '/api/health': () => health(),
};

/** Calls an API route handler as Next.js would, with the query string given. */
// biome-ignore lint/suspicious/noExplicitAny: JSON bodies are checked by the assertions
export async function apiGet(pathAndQuery: string): Promise<{ status: number; body: any }> {
  const url = new URL(pathAndQuery, 'http://localhost');
  const route = ROUTES[url.pathname];
  if (!route) throw new Error(`no route ${url.pathname}`);
  const res = await route(new NextRequest(url));
  return { status: res.status, body: await res.json() };
}

export async function waitFor<T>(
  fn: () => Promise<T>,
  ok: (v: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const start = Date.now();
  let last: T = await fn();
  while (!ok(last)) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out; last value ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 50));
    last = await fn();
  }
  return last;
}

/** How a child process ended: its exit code, or the signal that ended it. */
export function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/**
 * A port nothing listens on, from the kernel. (A fixed or random one in 54340–54389 once collided:
 * that range lies among the ephemeral ports the machine's outgoing connections use.)
 */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * 30,000 batches' rows of one key of rollup `table` at `bucket` (the slice key 'scratch', or dim 1),
 * folded into one: 29,999 dead rows, and index pages the fold leaves nearly empty. Returns the rows
 * the fold removed.
 */
export async function foldScratchKey(pool: pg.Pool, table: RollupTable, bucket: Date): Promise<number> {
  await pool.query(
    table.startsWith('rollup_slice_')
      ? `INSERT INTO ${table} (kind, bucket, key, type, file_id, batch_offset, n)
         SELECT 0, $1, 'scratch', 'd', 0, g, 1 FROM generate_series(1, 30000) g`
      : `INSERT INTO ${table} (bucket, dim_id, file_id, batch_offset, n)
         SELECT $1, 1, 0, g, 1 FROM generate_series(1, 30000) g`,
    [bucket],
  );
  return compactRollups(pool, table, table.endsWith('_minute') ? [bucket] : bucket);
}
