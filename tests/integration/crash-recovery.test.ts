import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GenerateResult, generateFiles } from '../../ingest/demo/generator.ts';
import { spawnWorker } from '../../scripts/build-worker.ts';
import { createTestDatabase, type TestDatabase } from '../db.ts';
import { apiGet, exited, waitFor } from '../helpers.ts';

const END = new Date('2026-03-02T00:00:00Z');

let db: TestDatabase;
let dir: string;
let generated: GenerateResult;

/** The real worker CLI as its own process (the bundle npm run ingest runs: one process, so SIGKILL hits it). */
function runWorker(args: string[]): ChildProcess {
  return spawnWorker(['--dir', dir, ...args], {
    env: { DATABASE_URL: db.url, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

async function rawCount(): Promise<number> {
  const [{ n }] = await db.query<{ n: string }>('SELECT count(*) AS n FROM acct_record');
  return Number(n);
}

beforeAll(async () => {
  db = await createTestDatabase();
  process.env.DATABASE_URL = db.url;
  dir = mkdtempSync(path.join(os.tmpdir(), 'acct-crash-'));
  generated = await generateFiles({ out: dir, records: 120_000, days: 2, end: END, seed: 7, layout: 'full' });
});

afterAll(async () => {
  await db?.drop();
});

describe('exactly-once ingest across SIGKILL', () => {
  it('counts every record exactly once after being killed mid-backfill, several times', async () => {
    let previous = 0;
    for (let kill = 0; kill < 3; kill++) {
      const child = runWorker(['--once']);
      const done = exited(child);
      // Kill it once it has committed something new, but before it is finished.
      await waitFor(rawCount, (n) => n > previous, 60_000);
      child.kill('SIGKILL');
      await done;
      const now = await rawCount();
      expect(now).toBeLessThan(generated.records);
      previous = now;
    }
    const last = runWorker(['--once']);
    let stderr = '';
    last.stderr?.on('data', (d) => {
      stderr += d;
    });
    expect((await exited(last)).code, stderr).toBe(0);

    expect(await rawCount()).toBe(generated.records);
    const [{ s }] = await db.query<{ s: string }>('SELECT sum(n) AS s FROM rollup_hour');
    expect(Number(s)).toBe(generated.records);
    const { body } = await apiGet(
      `/api/v1/stats/summary?from=${new Date(END.getTime() - 3 * 86_400_000).toISOString()}&to=${END.toISOString()}`,
    );
    const expected = generated.countsByType;
    expect(body.counts).toEqual({
      delivered: expected.d ?? 0,
      bounced: expected.b ?? 0,
      deferred: expected.t ?? 0,
      queueDeferred: expected.tq ?? 0,
      complaints: expected.f ?? 0,
      received: expected.r ?? 0,
      remoteBounced: expected.rb ?? 0,
      remoteStatus: expected.rs ?? 0,
    });
  });

  it('adds nothing when run again over the same folder', async () => {
    const again = runWorker(['--once']);
    expect((await exited(again)).code).toBe(0);
    expect(await rawCount()).toBe(generated.records);
    const [{ rejects }] = await db.query<{ rejects: string }>('SELECT count(*) AS rejects FROM acct_reject');
    expect(Number(rejects)).toBe(0);
  });
});
