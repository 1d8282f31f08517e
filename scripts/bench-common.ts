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
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  return databaseUrl(adminUrl, name);
}

/** Runs the real worker CLI (bundled as by `npm run ingest`, `--dir DIR --once`) and returns its final log line. */
export function runWorkerOnce(
  url: string,
  dir: string,
  env: Record<string, string> = {},
): Promise<{ elapsedMs: number; maxRssMb: number; records: number; bytes: number; rejects: number }> {
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
