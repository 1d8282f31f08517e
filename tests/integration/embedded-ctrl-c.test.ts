import type { ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GenerateResult, generateFiles } from '../../ingest/demo/generator.ts';
import { startEmbeddedPostgres } from '../../lib/db/embedded.ts';
import { spawnWorker } from '../../scripts/build-worker.ts';
import { exited, freePort, waitFor } from '../helpers.ts';

// The worker CLI without DATABASE_URL runs the embedded PostgreSQL, as `npm start` does. Ctrl-C in
// a terminal signals the whole foreground process group. The server used to be in that group: its
// fast shutdown cut the worker's connections before the worker could commit its last batch and
// remove its row from the ingest screen ("terminating connection due to administrator command").
// The server now runs in a group of its own and is stopped after the worker's last statement.

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'acct-ctrlc-pg-'));
// The server runs as the postgres user, which must reach its folder (mkdtemp makes it 0700).
chmodSync(dataDir, 0o755);
const serverDir = path.join(dataDir, 'postgres');
let dir: string;
let generated: GenerateResult;
const children: ChildProcess[] = [];

/** The first row of `sql` on the app database of the embedded server on `port`; null while it is not up. */
async function one(port: number, sql: string): Promise<Record<string, string> | null> {
  const c = new pg.Client({ connectionString: `postgres://postgres:acctscope@127.0.0.1:${port}/acctscope` });
  try {
    await c.connect();
  } catch {
    return null; // (end() on a client that never connected does not settle)
  }
  try {
    return (await c.query(sql)).rows[0];
  } catch {
    return null;
  } finally {
    await c.end();
  }
}

/**
 * Follows `dir` in a process group of its own (a terminal's foreground job), on its embedded
 * server. `until` waits for a condition, failing at once with the worker's stderr if it exits.
 */
function follow(port: number) {
  const child = spawnWorker(['--dir', dir], {
    env: { DATABASE_URL: undefined, DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(port), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  children.push(child);
  const out = { child, stderr: '', done: exited(child) };
  child.stderr?.on('data', (d) => {
    out.stderr += d;
  });
  const until = <T>(fn: () => Promise<T>, ok: (v: T) => boolean) =>
    Promise.race([
      waitFor(fn, ok, 50_000),
      out.done.then((e) => {
        throw new Error(`the worker exited (${JSON.stringify(e)}): ${out.stderr}`);
      }),
    ]);
  return { ...out, until };
}

const ingested = (port: number) =>
  one(
    port,
    'SELECT (SELECT count(*) FROM acct_record) AS n, (SELECT count(*) FROM ingest_worker) AS workers',
  );

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'acct-ctrlc-'));
  generated = await generateFiles({
    out: dir,
    records: 150_000,
    days: 2,
    end: new Date('2026-04-02T00:00:00Z'),
    seed: 7,
  });
});

afterAll(() => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null && child.pid)
      process.kill(-child.pid, 'SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

describe('the worker CLI on its embedded database', () => {
  it('on Ctrl-C (SIGINT to its process group) finishes its batch and deregisters, then stops the server', async () => {
    const port = await freePort();
    const worker = follow(port);
    const running = await worker.until(
      () => ingested(port),
      (r) => r !== null && Number(r.n) > 0,
    );
    expect(running?.workers).toBe('1');
    process.kill(-(worker.child.pid as number), 'SIGINT');
    expect(await worker.done, worker.stderr).toEqual({ code: 0, signal: null });
    expect(worker.stderr).toBe('');
    // The worker waited for the server to stop: the data folder is free again.
    expect(existsSync(path.join(serverDir, 'postmaster.pid'))).toBe(false);

    const server = await startEmbeddedPostgres(serverDir, port);
    try {
      const after = await one(
        port,
        `SELECT (SELECT count(*) FROM acct_record) AS n, (SELECT count(*) FROM ingest_worker) AS workers,
                (SELECT COALESCE(sum(records), 0) FROM acct_file) AS checkpointed`,
      );
      // Deregistered: its last statements ran. Stopped mid-backfill, with every record it committed
      // covered by its checkpoints.
      expect(after?.workers).toBe('0');
      expect(Number(after?.n)).toBeLessThan(generated.records);
      expect(after?.checkpointed).toBe(after?.n);
    } finally {
      await server.stop();
    }
  });

  it('when killed (SIGKILL), leaves no server behind', async () => {
    const port = await freePort();
    const worker = follow(port);
    await worker.until(
      () => ingested(port),
      (r) => r !== null && Number(r.workers) === 1,
    );
    process.kill(worker.child.pid as number, 'SIGKILL');
    expect(await worker.done).toEqual({ code: null, signal: 'SIGKILL' });
    // The server's host saw its parent go and stopped it.
    await waitFor(
      async () => existsSync(path.join(serverDir, 'postmaster.pid')),
      (running) => !running,
      30_000,
    );
    expect(await one(port, 'SELECT 1 AS up')).toBeNull();
  });
});
