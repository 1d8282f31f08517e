import { readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { spawnWorker } from './build-worker.ts';

// Helpers shared by the benchmarks (`npm run bench:ingest`, `npm run bench:query`).

export const ROOT = path.resolve(import.meta.dirname, '..');
export const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** The p-th percentile of an ascending array (nearest rank). */
export const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

/** Benchmarks only ever target this machine. */
export function assertLocal(url: string) {
  const host = new URL(url).hostname;
  if (!['127.0.0.1', 'localhost', '::1'].includes(host))
    throw new Error(`benchmarks target only 127.0.0.1, not ${host}`);
}

/** Same server, another database name. */
export function databaseUrl(adminUrl: string, name: string): string {
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Drops and re-creates database `name` on the server of `adminUrl`; returns its URL. */
export async function freshDatabase(adminUrl: string, name: string): Promise<string> {
  await dropDatabase(adminUrl, name);
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  return databaseUrl(adminUrl, name);
}

/** Drops database `name` (if it exists) on the server of `adminUrl`, ending its sessions. */
export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.end();
}

/** Runs the real worker CLI (bundled as by `npm run ingest`, `--dir DIR --once`) and returns its final log line. */
export function runWorkerOnce(
  url: string,
  dir: string,
  env: Record<string, string> = {},
): Promise<{
  elapsedMs: number;
  cpuMs: number;
  maxRssMb: number;
  records: number;
  bytes: number;
  rejects: number;
}> {
  return new Promise((resolve, reject) => {
    const child = spawnWorker(['--dir', dir, '--once'], {
      env: { ...env, DATABASE_URL: url, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
    });
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.includes('ingest worker stopped'));
      if (code !== 0 || !line) return reject(new Error(`worker failed (${code}): ${out.slice(-2000)}`));
      resolve(JSON.parse(line));
    });
  });
}

/** Clock ticks per second of /proc/<pid>/stat's times (USER_HZ: 100 on Linux). */
const USER_HZ = 100;

/** /proc/<pid>/stat from field 3 (state) on: f[1] is the parent's pid, f[11..14] the CPU times. */
function statFields(pid: number): number[] {
  // The command name before them is in parentheses and may hold spaces.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
}

/** utime + stime + cutime + cstime (children it has reaped) of a process, in ms. */
function procCpuMs(pid: number): number {
  const f = statFields(pid);
  return ((f[11] + f[12] + f[13] + f[14]) * 1000) / USER_HZ;
}

/**
 * The CPU a local PostgreSQL server has used so far, in ms (Linux /proc): its postmaster with the
 * backends it has reaped, plus its live processes. Null when the server's processes are not
 * readable here. The difference of two readings is what the server spent between them.
 */
export async function postgresCpuMs(url: string): Promise<number | null> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const postmaster = statFields(rows[0].pid)[1];
    let ms = procCpuMs(postmaster);
    const children = readFileSync(`/proc/${postmaster}/task/${postmaster}/children`, 'utf8').trim();
    for (const pid of children ? children.split(' ').map(Number) : []) {
      try {
        ms += procCpuMs(pid);
      } catch {
        // exited since the list was read: its CPU is now the postmaster's (reaped)
      }
    }
    return ms;
  } catch {
    return null;
  } finally {
    await client.end();
  }
}
