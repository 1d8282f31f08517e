import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateFiles } from '../ingest/demo/generator.ts';
import { DEFAULT_RULES, type Metric, type MetricRule } from '../lib/incidents/rules.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';
import { ingestOnce } from './helpers.ts';

// Generated traffic for the incident tests: 8 days up to END, steady or with one deferral wave of
// Yahoo × pool-b over BURST. One database per test file (the Prisma client is per process).

export const HOUR = 3_600_000;
export const END = new Date('2026-03-10T12:00:00Z');
export const BURST = { start: END.getTime() - 4 * HOUR, end: END.getTime() - 3 * HOUR };
export const WINDOW_MINUTES = 60;

/** The production rules: the tests judge what users get. */
export const RULES: Record<Metric, MetricRule> = DEFAULT_RULES;

export async function loadTraffic(burst: boolean): Promise<TestDatabase> {
  const db = await createTestDatabase();
  process.env.DATABASE_URL = db.url;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'acct-incidents-'));
  await generateFiles({
    out: dir,
    records: 400_000,
    days: 8,
    end: END,
    seed: 11,
    incidents: burst ? [{ ...BURST, host: 'yahoo', pool: 'pool-b', probability: 0.85, block: false }] : [],
  });
  await ingestOnce(db.url, [dir]);
  return db;
}
