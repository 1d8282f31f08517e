import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../lib/db/embedded.ts';
import { migrate } from '../lib/db/migrate.ts';
import { E2E_PORT } from '../playwright.config.ts';
import { buildIfNeeded, NEXT, ROOT } from '../scripts/build-if-needed.ts';
import { spawnWorker } from '../scripts/build-worker.ts';

const FIXTURES = path.join(ROOT, 'e2e/fixtures');
export const FIXTURE_RECORDS = 17;

async function waitUntil(what: string, fn: () => Promise<boolean>, timeoutMs: number) {
  const start = Date.now();
  while (!(await fn().catch(() => false))) {
    if (Date.now() - start > timeoutMs) throw new Error(`e2e setup: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/**
 * The e2e world: a fresh database, the real ingest worker following a copy of the fixtures, and
 * the built app served by `next start`. Tests drive Chromium against it.
 */
export default async function globalSetup() {
  // Build first: a failed build then leaves no worker or database behind.
  buildIfNeeded((m) => console.log(m));
  let adminUrl = process.env.DATABASE_URL;
  let stopServer = async () => {};
  if (adminUrl) {
    const host = new URL(adminUrl).hostname;
    if (!['127.0.0.1', 'localhost', '::1'].includes(host)) {
      throw new Error(`e2e tests refuse to run against a non-local database (${host})`);
    }
  } else {
    const server = await startEmbeddedPostgres(path.join(ROOT, '.data/e2e-postgres'), 54331);
    adminUrl = server.adminUrl;
    stopServer = server.stop;
  }
  const name = `acctscope_e2e_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  await migrate(databaseUrl);

  const acctDir = mkdtempSync(path.join(os.tmpdir(), 'acct-e2e-'));
  for (const f of readdirSync(FIXTURES))
    if (f.endsWith('.csv')) cpSync(path.join(FIXTURES, f), path.join(acctDir, f));

  const env = { ...process.env, DATABASE_URL: databaseUrl, NEXT_TELEMETRY_DISABLED: '1', LOG_LEVEL: 'warn' };
  let web: ChildProcess | undefined;
  let worker: ChildProcess | undefined;
  const teardown = async () => {
    await Promise.all([web && stopChild(web), worker && stopChild(worker)]);
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await c.end();
    await stopServer();
    rmSync(acctDir, { recursive: true, force: true });
  };
  try {
    // The bundled worker, as `npm run ingest` runs it. Its incident monitor judges once, when it has
    // caught up, and not again during the run: the tests' incidents (rows they store, or opened by
    // the monitor judging the fixtures' own day) would be resolved by a cycle judging the present,
    // in which the fixtures have no traffic, in the middle of a test.
    worker = spawnWorker(['--dir', acctDir, '--source', 'e2e-mta'], {
      env: { ...env, INCIDENT_INTERVAL_SECONDS: '86400' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
    await waitUntil(
      'the worker to ingest the fixtures',
      async () =>
        Number((await pool.query('SELECT count(*) AS n FROM acct_record')).rows[0].n) === FIXTURE_RECORDS,
      60_000,
    );
    await pool.end();

    web = spawn(NEXT, ['start', '-p', String(E2E_PORT), '-H', '127.0.0.1'], {
      cwd: ROOT,
      env,
      stdio: 'ignore',
    });
    await waitUntil(
      'the web server',
      async () => (await fetch(`http://127.0.0.1:${E2E_PORT}/api/health`)).ok,
      60_000,
    );
  } catch (error) {
    await teardown();
    throw error;
  }

  process.env.E2E_DATABASE_URL = databaseUrl;
  process.env.E2E_ACCT_DIR = acctDir;

  return teardown;
}
