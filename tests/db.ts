import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { disconnectPrisma } from '../lib/db/client.ts';
import { migrate } from '../lib/db/migrate.ts';

export interface TestDatabase {
  url: string;
  name: string;
  query<T extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * A fresh, migrated database of its own for one test file; dropped by `drop()`. `migrationsDir`:
 * migrate from another folder (a test of one migration applies the ones before it first).
 */
export async function createTestDatabase(
  prefix = 'acctscope_test',
  migrationsDir?: string,
): Promise<TestDatabase> {
  const adminUrl = inject('adminDatabaseUrl');
  if (!adminUrl) throw new Error('No test database server (ACCTSCOPE_NO_DB=1 is set).');
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = withDatabase(adminUrl, name);
  await migrate(url, migrationsDir);
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  return {
    url,
    name,
    query: async (sql, params) => (await pool.query(sql, params)).rows,
    drop: async () => {
      await closePool(pool);
      // The process's Prisma client (the queries under test) too, before the DROP's FORCE ends
      // whatever is still connected.
      if (process.env.DATABASE_URL === url) await disconnectPrisma();
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

/**
 * Ends a pool and waits until each of its connections has closed. pg-pool's end() resolves once it
 * has asked its idle clients to end, before their sockets close: a DROP DATABASE … WITH (FORCE)
 * right after it could still terminate one, whose "terminating connection due to administrator
 * command" the pool then emitted as an 'error' with no listener (an unhandled error that failed
 * CI runs twice, in the suppressions and compaction tests on PostgreSQL 15).
 */
export async function closePool(pool: pg.Pool): Promise<void> {
  const open = pool.totalCount;
  let closed = 0;
  const allClosed = new Promise<void>((resolve) => {
    if (open === 0) resolve();
    pool.on('remove', () => {
      if (++closed === open) resolve();
    });
  });
  await pool.end();
  await allClosed;
}
