import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readMigrations } from '../../lib/db/migrate.ts';
import { createTestDatabase, type TestDatabase } from '../db.ts';
import { apiGet } from '../helpers.ts';

// /api/health says 503 while the database lacks migrations the app needs: a database never
// migrated, or one whose worker has not upgraded it yet, answered SELECT 1 while every API was 500.

let db: TestDatabase;
let dir: string;

beforeAll(async () => {
  // The first migration only, as a database migrated by an older release would be.
  const all = await readMigrations();
  dir = mkdtempSync(path.join(os.tmpdir(), 'acct-old-migrations-'));
  mkdirSync(path.join(dir, all[0].name));
  writeFileSync(path.join(dir, all[0].name, 'migration.sql'), all[0].sql);
  db = await createTestDatabase('acctscope_health_old', dir);
  process.env.DATABASE_URL = db.url;
}, 60_000);

afterAll(async () => {
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});

it('answers 503 naming the migrations the database lacks', async () => {
  const all = (await readMigrations()).map((m) => m.name);
  const { status, body } = await apiGet('/api/health');
  expect(status).toBe(503);
  expect(body).toMatchObject({ status: 'error', database: 'up' });
  expect(body.pendingMigrations).toEqual(all.slice(1));
  expect(body.error).toMatch(/lacks \d+ of this app's migrations: run npm run db:migrate/);
  // Without even the migrations table, every migration is pending.
  await db.query('DROP TABLE "_prisma_migrations"');
  const bare = await apiGet('/api/health');
  expect(bare.status).toBe(503);
  expect(bare.body.pendingMigrations).toEqual(all);
});
