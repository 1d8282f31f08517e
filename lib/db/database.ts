import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres, startEmbeddedPostgresApart } from './embedded.ts';
import { migrate } from './migrate.ts';

export interface Database {
  url: string;
  embedded: boolean;
  /** Migrations applied while opening. */
  applied: string[];
  stop(): Promise<void>;
}

const APP_DATABASE = 'acctscope';

async function ensureDatabase(adminUrl: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * The database the app and worker use: DATABASE_URL when set, otherwise an embedded PostgreSQL
 * with its data in `<dataDir>/postgres`. Either way it is migrated before it is returned.
 */
export async function openDatabase(opts: {
  databaseUrl?: string;
  dataDir: string;
  port: number;
  /**
   * Run the embedded server in a process group of its own (startEmbeddedPostgresApart): terminal
   * signals do not reach it, and the caller stops it with stop() after its own work.
   */
  apart?: boolean;
  /**
   * Wait for a DATABASE_URL server that cannot be reached yet (not started, restarting, a network
   * blip), retrying with backoff and calling this before each wait; without it such an error is
   * thrown at once (`db:migrate`). Other errors (a wrong password or database name) are thrown.
   */
  onUnreachable?: (error: Error, retryInMs: number) => void;
}): Promise<Database> {
  if (opts.databaseUrl) {
    const url = opts.databaseUrl;
    try {
      const applied = await retryWhileUnreachable(() => migrate(url), opts.onUnreachable);
      return { url, embedded: false, applied, stop: async () => {} };
    } catch (error) {
      throw configurationError(error, url) ?? error;
    }
  }
  const dir = path.join(opts.dataDir, 'postgres');
  const server = opts.apart
    ? await startEmbeddedPostgresApart(dir, opts.port)
    : await startEmbeddedPostgres(dir, opts.port);
  const url = await ensureDatabase(server.adminUrl, APP_DATABASE);
  const applied = await migrate(url);
  return { url, embedded: true, applied, stop: () => server.stop() };
}

/**
 * DATABASE_URL names what cannot be used as it is: a database that does not exist (an operator's
 * first step, easily missed), or a user the server refuses. Said plainly, with what to do; such
 * an error was a pg stack trace and exit 1. Programs exit 2 on it (a configuration error).
 */
export class DatabaseConfigError extends Error {}

function configurationError(error: unknown, databaseUrl: string): DatabaseConfigError | null {
  const code = (error as { code?: string }).code;
  let u: URL;
  try {
    u = new URL(databaseUrl);
  } catch {
    return null;
  }
  const where = `${u.hostname}:${u.port || 5432}`;
  const name = decodeURIComponent(u.pathname.slice(1)) || decodeURIComponent(u.username);
  if (code === '3D000')
    return new DatabaseConfigError(
      `DATABASE_URL: database "${name}" does not exist on ${where}. Create it first ` +
        `(createdb -h ${u.hostname} -p ${u.port || 5432}${u.username ? ` -U ${decodeURIComponent(u.username)}` : ''} ${name}, ` +
        `or CREATE DATABASE "${name}" in psql); acctscope creates its tables in it.`,
    );
  if (code === '28P01' || code === '28000')
    return new DatabaseConfigError(
      `DATABASE_URL: the server on ${where} refused user "${decodeURIComponent(u.username)}": ${(error as Error).message}`,
    );
  return null;
}

/** Errors of a server that is not there (yet): refused, reset, unreachable, starting or stopping. */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'EPIPE',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, shutting down, in recovery)
  '08001', // sqlclient_unable_to_establish_sqlconnection
  '08006', // connection_failure
]);

export function isUnreachable(error: unknown): boolean {
  const e = error as { code?: string; message?: string; errors?: unknown[] };
  if (e?.code && UNREACHABLE_CODES.has(e.code)) return true;
  // Node reports a host with several addresses (localhost: ::1 and 127.0.0.1) as an AggregateError.
  if (Array.isArray(e?.errors) && e.errors.length > 0 && e.errors.every(isUnreachable)) return true;
  return /Connection terminated unexpectedly|timeout expired/i.test(e?.message ?? '');
}

export function retryWhileUnreachable<T>(
  fn: () => Promise<T>,
  onUnreachable?: (error: Error, retryInMs: number) => void,
): Promise<T> {
  return retryWithBackoff(fn, 500, (error, retryInMs) => {
    if (!onUnreachable || !isUnreachable(error)) return false;
    onUnreachable(error as Error, retryInMs);
    return true;
  });
}

/**
 * Runs `fn` until it succeeds. After each failure `retry(error, retryInMs)` decides: false throws
 * the error; true tries again after retryInMs, which starts at `firstDelayMs` and doubles up to 10 s.
 */
export async function retryWithBackoff<T>(
  fn: () => Promise<T>,
  firstDelayMs: number,
  retry: (error: unknown, retryInMs: number) => boolean,
): Promise<T> {
  let delay = firstDelayMs;
  for (;;) {
    try {
      return await fn();
    } catch (error) {
      if (!retry(error, delay)) throw error;
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 10_000);
    }
  }
}
