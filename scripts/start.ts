import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { generateFiles, startLiveGenerator } from '../ingest/demo/generator.ts';
import { checkAppEnv } from '../lib/app-env.ts';
import { DatabaseConfigError, openDatabase } from '../lib/db/database.ts';
import { type Env, parseEnv } from '../lib/env.ts';
import { logger } from '../lib/logger.ts';
import { npmAncestor, PARENT_PID_ENV, watchProcess } from '../lib/parent-watch.ts';
import { buildIfNeeded, generateClientIfStale, NEXT, ROOT } from './build-if-needed.ts';
import { spawnWorker } from './build-worker.ts';

// `npm start`: database (embedded unless DATABASE_URL), migrations, ingest worker (demo traffic
// unless ACCT_DIRS) and the dashboard on PORT — one command, one process tree. The worker is the
// bundled CLI with the flags of `npm run ingest` (the one the benchmarks measure), in a process of
// its own beside the dashboard's; it follows ACCT_DIRS, or the demo folder, and watches for
// incidents (INCIDENTS).

async function demoDir(env: Env): Promise<{ dir: string; stop: () => Promise<void> }> {
  const out = path.resolve(env.DATA_DIR, 'demo');
  const hasFiles = existsSync(out) && readdirSync(out).some((f) => f.endsWith('.csv'));
  if (!hasFiles) {
    const { DEMO_RECORDS: records, DEMO_DAYS: days } = env;
    logger.info({ out, records, days }, `ACCT_DIRS is not set: generating ${days} days of demo traffic`);
    await generateFiles({ out, records, days, end: new Date() });
  }
  const live = startLiveGenerator({
    out,
    ratePerSecond: env.DEMO_RATE,
    warn: (message) => logger.warn(message),
  });
  logger.info({ out, messagesPerSecond: env.DEMO_RATE }, 'demo generator is writing live traffic');
  return { dir: out, stop: () => live.stop() };
}

async function main() {
  let env: Env;
  try {
    env = parseEnv();
    // What the dashboard will read too (provider files), before anything is built or started.
    checkAppEnv({ requireDatabaseUrl: false });
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  generateClientIfStale((m) => logger.info(m));
  buildIfNeeded((m) => logger.info(m));
  const db = await openDatabase({
    databaseUrl: env.DATABASE_URL,
    dataDir: env.DATA_DIR,
    port: env.EMBEDDED_PG_PORT,
    apart: true,
    // A service may start before its database: wait for it, as the worker does for an outage later.
    onUnreachable: (error, retryInMs) =>
      logger.warn({ err: error, retryInMs }, 'PostgreSQL cannot be reached yet; waiting for it'),
  });
  logger.info({ embedded: db.embedded, migrationsApplied: db.applied }, 'database ready');
  const demo = env.ACCT_DIRS ? null : await demoDir(env);
  let stopping = false;
  // Without --dir the worker reads ACCT_DIRS from the environment, exactly as `npm run ingest`.
  const demoArg = demo ? `demo-mta=${demo.dir}` : null;
  // Each child stops by itself if this process is killed outright (lib/parent-watch.ts).
  const parent = { [PARENT_PID_ENV]: String(process.pid) };
  const worker = spawnWorker(demoArg ? ['--dir', demoArg] : [], {
    env: { DATABASE_URL: db.url, ACCTSCOPE_EMBEDDED_DB: db.embedded ? '1' : '0', ...parent },
    stdio: 'inherit',
  });
  const workerDone = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.once('exit', (code, signal) => {
    if (stopping) return;
    // A following worker ends with 0 only when asked to stop: Ctrl-C reaches it with this process,
    // and it may finish before this process has handled the same signal.
    if (code === 0) {
      logger.info('ingest worker stopped; stopping the rest');
      shutdown(0);
      return;
    }
    logger.fatal({ code, signal }, 'ingest worker exited');
    shutdown(1);
  });

  const listen = ['-p', String(env.PORT), ...(env.HOST ? ['-H', env.HOST] : [])];
  const web: ChildProcess = spawn(NEXT, ['start', ...listen], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, DATABASE_URL: db.url, NEXT_TELEMETRY_DISABLED: '1', ...parent },
  });
  web.on('exit', (code) => {
    if (!stopping) {
      logger.error({ code }, 'web server exited');
      shutdown(1);
    }
  });
  logger.info(
    {
      url: `http://${env.HOST?.includes(':') ? `[${env.HOST}]` : (env.HOST ?? 'localhost')}:${env.PORT}`,
      dirs: demoArg ?? env.ACCT_DIRS,
    },
    'acctscope is running',
  );

  async function shutdown(code: number) {
    if (stopping) return;
    stopping = true;
    web.kill('SIGTERM');
    if (worker.exitCode === null && worker.signalCode === null) worker.kill('SIGTERM');
    await demo?.stop();
    await workerDone;
    await db.stop();
    logger.info({ code }, 'acctscope stopped');
    process.exit(code);
  }
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => shutdown(0));
  // The npm that runs `npm start`: gone (killed, or sent SIGTERM alone, which it does not pass
  // on), it takes everything down with it, as Ctrl-C does.
  const npm = npmAncestor();
  if (npm !== null)
    watchProcess(npm, () => {
      logger.warn({ pid: npm }, 'npm, which runs npm start, is gone; stopping');
      shutdown(0);
    });
}

main().catch((error) => {
  if (error instanceof DatabaseConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  logger.fatal({ err: error }, 'acctscope failed to start');
  process.exit(1);
});
