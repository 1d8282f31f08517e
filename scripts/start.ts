import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { generateFiles, startLiveGenerator } from '../ingest/demo/generator.ts';
import { IngestWorker } from '../ingest/worker.ts';
import { openDatabase } from '../lib/db/database.ts';
import { type AcctDir, incidentOptions, parseAcctDirs, parseEnv } from '../lib/env.ts';
import { IncidentMonitor } from '../lib/incidents/monitor.ts';
import { logger } from '../lib/logger.ts';
import { buildIfNeeded, NEXT, ROOT } from './build-if-needed.ts';

// `npm start`: database (embedded unless DATABASE_URL), migrations, ingest worker (demo traffic
// unless ACCT_DIRS) and the dashboard on PORT — one command, one process tree.

async function demoDirs(dataDir: string): Promise<{ dirs: AcctDir[]; stop: () => Promise<void> }> {
  const out = path.resolve(dataDir, 'demo');
  const hasFiles = existsSync(out) && readdirSync(out).some((f) => f.endsWith('.csv'));
  if (!hasFiles) {
    logger.info({ out }, 'ACCT_DIRS is not set: generating 7 days of demo traffic');
    await generateFiles({ out, records: 300_000, days: 7, end: new Date() });
  }
  // About twice the backfill's average rate (300,000 over 7 days): the live hour continues the
  // history instead of dwarfing it, and incident baselines stay comparable.
  const live = startLiveGenerator({ out, ratePerSecond: 1 });
  logger.info({ out }, 'demo generator is writing live traffic');
  return { dirs: [{ source: 'demo-mta', pattern: out }], stop: () => live.stop() };
}

async function main() {
  const env = parseEnv();
  buildIfNeeded((m) => logger.info(m));
  const db = await openDatabase({
    databaseUrl: env.DATABASE_URL,
    dataDir: env.DATA_DIR,
    port: env.EMBEDDED_PG_PORT,
  });
  logger.info({ embedded: db.embedded, migrationsApplied: db.applied }, 'database ready');
  const demo = env.ACCT_DIRS ? null : await demoDirs(env.DATA_DIR);
  const dirs = demo?.dirs ?? parseAcctDirs([env.ACCT_DIRS ?? ''], os.hostname());

  const pool = new pg.Pool({ connectionString: db.url, max: 4 });
  const worker = new IngestWorker({
    pool,
    dirs,
    logger,
    rawRetentionDays: env.RAW_RETENTION_DAYS || undefined,
  });
  process.env.DATABASE_URL = db.url;
  const monitor = env.INCIDENTS === 'on' ? new IncidentMonitor({ logger, ...incidentOptions(env) }) : null;
  monitor?.start();
  const workerDone = worker.run().catch((error) => {
    logger.fatal({ err: error }, 'ingest worker failed');
    shutdown(1);
  });

  const web: ChildProcess = spawn(NEXT, ['start', '-p', String(env.PORT)], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, DATABASE_URL: db.url, NEXT_TELEMETRY_DISABLED: '1' },
  });
  web.on('exit', (code) => {
    if (!stopping) {
      logger.error({ code }, 'web server exited');
      shutdown(1);
    }
  });
  logger.info({ url: `http://localhost:${env.PORT}`, dirs }, 'acctscope is running');

  let stopping = false;
  async function shutdown(code: number) {
    if (stopping) return;
    stopping = true;
    web.kill('SIGTERM');
    worker.stop();
    await demo?.stop();
    await workerDone;
    await monitor?.stop();
    await pool.end();
    await db.stop();
    process.exit(code);
  }
  process.once('SIGINT', () => shutdown(0));
  process.once('SIGTERM', () => shutdown(0));
}

main().catch((error) => {
  logger.fatal({ err: error }, 'acctscope failed to start');
  process.exit(1);
});
