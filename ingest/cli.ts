import { stat } from 'node:fs/promises';
import os from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { checkProviderCodesFile } from '../lib/acct/provider-codes.ts';
import { checkProviderFile } from '../lib/acct/providers.ts';
import { disconnectPrisma } from '../lib/db/client.ts';
import { DatabaseConfigError, openDatabase } from '../lib/db/database.ts';
import { incidentOptions, parseAcctDirs, parseEnv, splitAcctDirs } from '../lib/env.ts';
import { IncidentMonitor } from '../lib/incidents/monitor.ts';
import { logger } from '../lib/logger.ts';
import { watchParent } from '../lib/parent-watch.ts';
import { resolveTarget } from './glob.ts';
import { caughtUp, createProgressReporter } from './progress.ts';
import { IngestWorker } from './worker.ts';

/** A worker that has not caught up by then (PowerMTA writing faster than it reads) starts its monitor anyway. */
const MONITOR_AT_LATEST_MS = 10 * 60_000;

const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

const USAGE = 'usage: npm run ingest -- --dir DIR [--dir DIR2] [--once] (DIR may be label=DIR or a glob)';

async function main() {
  let args: ReturnType<typeof parseCliArgs>;
  try {
    args = parseCliArgs();
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  let env: ReturnType<typeof parseEnv>;
  try {
    env = parseEnv();
    checkProviderFile();
    checkProviderCodesFile(); // read by the incident monitor's evidence
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  const dirValues = args.values.dir?.length
    ? args.values.dir
    : env.ACCT_DIRS
      ? splitAcctDirs(env.ACCT_DIRS)
      : [];
  if (dirValues.length === 0) {
    console.error(`no folder to ingest: pass --dir or set ACCT_DIRS\n${USAGE}`);
    process.exit(2);
  }
  const dirs = parseAcctDirs(dirValues, args.values.source ?? os.hostname());
  // A folder that is not there is most often a typo, which would look like a quiet MTA: a --once
  // run stops on it; a following worker says so and watches for it (PowerMTA may create it later).
  for (const d of dirs) {
    let missing: string | null;
    try {
      missing = await missingFolder(d.pattern);
    } catch (error) {
      // A pattern the worker cannot follow (a wildcard in a folder name) is a bad argument.
      console.error(`${(error as Error).message}\n${USAGE}`);
      process.exit(2);
    }
    if (!missing) continue;
    if (args.values.once) {
      console.error(`the folder ${missing} does not exist (from '${d.pattern}')\n${USAGE}`);
      process.exit(2);
    }
    logger.warn({ folder: missing, pattern: d.pattern }, 'folder does not exist yet; watching for it');
  }
  // Stopped while still waiting for a DATABASE_URL server: nothing was read yet, so a stop like
  // any other (exit 0; Ctrl-C ended it with 130). An embedded server starting is left to finish.
  const stopWaiting = () => {
    logger.info('stopped while waiting for PostgreSQL');
    process.exit(0);
  };
  if (env.DATABASE_URL) for (const signal of STOP_SIGNALS) process.once(signal, stopWaiting);
  const db = await openDatabase({
    databaseUrl: env.DATABASE_URL,
    dataDir: env.DATA_DIR,
    port: env.EMBEDDED_PG_PORT,
    apart: true,
    // A service may start before its database: wait for it, as the worker does for an outage later.
    onUnreachable: (error, retryInMs) =>
      logger.warn({ err: error, retryInMs }, 'PostgreSQL cannot be reached yet; waiting for it'),
  });
  for (const signal of STOP_SIGNALS) process.removeListener(signal, stopWaiting);
  const pool = new pg.Pool({ connectionString: db.url, max: 4 });
  const reporter = createProgressReporter(logger, Boolean(process.stderr.isTTY));
  const worker = new IngestWorker({
    pool,
    dirs,
    logger,
    once: args.values.once,
    rawRetentionDays: env.RAW_RETENTION_DAYS || undefined,
    minuteRetentionDays: env.MINUTE_ROLLUP_RETENTION_DAYS || undefined,
    onProgress: (p) => {
      reporter.update(p);
      if (!monitor || monitorStarted) return;
      const current = caughtUp(p);
      if (current || performance.now() - started > MONITOR_AT_LATEST_MS) {
        monitorStarted = true;
        monitor.start();
        logger.info({ caughtUp: current }, 'incident monitor started');
      }
    },
  });
  // Incidents are judged beside a following worker (a --once run is a backfill, not a watch), from
  // when it has caught up: before, the window's counts are partial (rates of half-read minutes), and
  // the monitor's database client (~40–50 MB) added to a backfill's peak memory (262–301 MB against
  // 236–248 MB without it, the demo's 300,000 records in follow mode).
  process.env.DATABASE_URL = db.url;
  const monitor =
    env.INCIDENTS === 'on' && !args.values.once
      ? new IncidentMonitor({ logger, ...incidentOptions(env) })
      : null;
  let monitorStarted = false;
  const started = performance.now();
  // A second Ctrl-C ends the process at once. SIGTERM only ever asks to stop: it may come twice
  // (a service manager signals the whole process group, `npm start` its worker as well). SIGHUP
  // (the terminal closed) stops it too, and the embedded server with it.
  process.once('SIGINT', () => worker.stop());
  watchParent(() => {
    logger.warn('npm start, which started this worker, is gone; stopping');
    worker.stop();
  });
  for (const signal of ['SIGTERM', 'SIGHUP'] as const) process.on(signal, () => worker.stop());
  // Under npm start the worker is handed the embedded server's URL: npm start says which it is.
  const embedded = db.embedded || process.env.ACCTSCOPE_EMBEDDED_DB === '1';
  logger.info({ dirs, once: Boolean(args.values.once), embedded }, 'ingest worker started');
  await worker.run();
  await monitor?.stop();
  await disconnectPrisma(); // the monitor's queries; its idle connections would hold the exit ~10 s
  reporter.finish(worker.progress);
  const cpu = process.cpuUsage();
  logger.info(
    {
      records: worker.progress.records,
      rejects: worker.progress.rejects,
      bytes: worker.progress.bytesDone,
      elapsedMs: Math.round(performance.now() - started),
      // All of the process's threads (the parsing threads too), start-up included.
      cpuMs: Math.round((cpu.user + cpu.system) / 1000),
      maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    },
    'ingest worker stopped',
  );
  await pool.end();
  await db.stop();
}

/** The folder an ACCT_DIRS entry follows when it does not exist, else null. */
async function missingFolder(pattern: string): Promise<string | null> {
  const target = await resolveTarget(pattern);
  const st = await stat(target.dir).catch(() => null);
  return st?.isDirectory() ? null : target.dir;
}

function parseCliArgs() {
  return parseArgs({
    options: {
      dir: { type: 'string', multiple: true },
      source: { type: 'string' },
      once: { type: 'boolean', default: false },
    },
    allowPositionals: false,
  });
}

main().catch((error) => {
  if (error instanceof DatabaseConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  logger.fatal({ err: error }, 'ingest worker failed');
  process.exit(1);
});
