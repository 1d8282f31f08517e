import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../lib/db/migrate.ts';
import { createTestDatabase, type TestDatabase } from '../db.ts';

// The migration runner refuses a database it cannot trust, and says what to do about it.

let db: TestDatabase;
let dir: string;

function writeMigration(name: string, sql: string) {
  mkdirSync(path.join(dir, name), { recursive: true });
  writeFileSync(path.join(dir, name, 'migration.sql'), sql);
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'acct-migrations-'));
  writeMigration('20260101000000_first', 'CREATE TABLE t1 (a int);');
  db = await createTestDatabase('acctscope_migrate', dir);
});
afterAll(async () => {
  await db?.drop();
});

describe('migration runner', () => {
  it('applies what is new, once, and records it as Prisma Migrate does', async () => {
    writeMigration('20260102000000_second', 'CREATE TABLE t2 (b int);');
    expect(await migrate(db.url, dir)).toEqual(['20260102000000_second']);
    expect(await migrate(db.url, dir)).toEqual([]);
    const rows = await db.query<{ migration_name: string; applied_steps_count: number }>(
      'SELECT migration_name, applied_steps_count FROM "_prisma_migrations" ORDER BY 1',
    );
    expect(rows).toEqual([
      { migration_name: '20260101000000_first', applied_steps_count: 1 },
      { migration_name: '20260102000000_second', applied_steps_count: 1 },
    ]);
  });

  it('rolls a failed migration back whole, and leaves no row of it', async () => {
    writeMigration('20260103000000_broken', 'CREATE TABLE t3 (c int); SELECT 1/0;');
    await expect(migrate(db.url, dir)).rejects.toThrow(
      'Migration 20260103000000_broken failed: division by zero',
    );
    const [{ n }] = await db.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM "_prisma_migrations" WHERE migration_name LIKE '%broken')::int
            + (SELECT count(*) FROM pg_tables WHERE tablename = 't3')::int AS n`,
    );
    expect(n).toBe(0);
    writeMigration('20260103000000_broken', 'CREATE TABLE t3 (c int);');
    expect(await migrate(db.url, dir)).toEqual(['20260103000000_broken']);
  });

  it('refuses a migration changed since it was applied, saying how to recover', async () => {
    writeMigration('20260101000000_first', 'CREATE TABLE t1 (a bigint);');
    const error = await migrate(db.url, dir).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(
      /^Migration 20260101000000_first was modified after it was applied to this database \(checksum differs\)/,
    );
    expect((error as Error).message).toContain('delete ./.data/postgres');
    writeMigration('20260101000000_first', 'CREATE TABLE t1 (a int);');
    expect(await migrate(db.url, dir)).toEqual([]);
  });

  it('refuses a migration recorded as started and not finished by another tool', async () => {
    writeMigration('20260104000000_fourth', 'CREATE TABLE t4 (d int);');
    await db.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name) VALUES ('x', 'y', '20260104000000_fourth')`,
    );
    await expect(migrate(db.url, dir)).rejects.toThrow(
      /^Migration 20260104000000_fourth is recorded as started and not finished/,
    );
    await db.query(`DELETE FROM "_prisma_migrations" WHERE id = 'x'`);
    expect(await migrate(db.url, dir)).toEqual(['20260104000000_fourth']);
  });
});
