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
}): Promise<Database> {
  if (opts.databaseUrl) {
    const applied = await migrate(opts.databaseUrl);
    return { url: opts.databaseUrl, embedded: false, applied, stop: async () => {} };
  }
  const dir = path.join(opts.dataDir, 'postgres');
  const server = opts.apart
    ? await startEmbeddedPostgresApart(dir, opts.port)
    : await startEmbeddedPostgres(dir, opts.port);
  const url = await ensureDatabase(server.adminUrl, APP_DATABASE);
  const applied = await migrate(url);
  return { url, embedded: true, applied, stop: () => server.stop() };
}
