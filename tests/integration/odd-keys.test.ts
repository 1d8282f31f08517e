import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filterParamValue } from '../../lib/filters.ts';
import { createTestDatabase, type TestDatabase } from '../db.ts';
import { apiGet, folderWithLines, ingestOnce } from '../helpers.ts';

// Keys a plain filter value cannot spell: a job id with a comma (values are split on commas), one
// literally named "(none)" (the value selecting records without a job) and one with a quote. Each
// breakdown row must lead to exactly its records (found by a QA helper: such a key's link asked
// for two values, or for the records without a job).

const WINDOW = 'from=2026-06-01T10:00:00Z&to=2026-06-01T11:00:00Z';
const JOBS = ['promo,2026', '(none)', 'say "hi"', 'plain', ''];

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  process.env.DATABASE_URL = db.url;
  const rows = ['type,timeLogged,rcpt,vmta,jobId'];
  JOBS.forEach((job, j) => {
    const field = `"${job.replaceAll('"', '""')}"`;
    for (let i = 0; i <= j; i++)
      rows.push(`d,2026-06-01 10:0${j}:0${i}+0000,r${j}-${i}@gmail.com,vmtaA,${field}`);
  });
  await ingestOnce(db.url, [folderWithLines('acct-odd-keys-', 'acct-2026-06-01-0000.csv', rows)]);
});
afterAll(async () => {
  await db?.drop();
});

describe('a key that a plain filter value cannot spell', () => {
  it('is selected exactly by its quoted value, in the stats and the records explorer', async () => {
    const { body } = await apiGet(`/api/v1/stats/breakdown?${WINDOW}&by=job`);
    const byKey = Object.fromEntries(
      body.rows.map((r: { key: string; counts: { delivered: number } }) => [r.key, r.counts.delivered]),
    );
    expect(byKey).toEqual({ 'promo,2026': 1, '(none)': 2, 'say "hi"': 3, plain: 4, '': 5 });
    for (const [key, delivered] of Object.entries(byKey)) {
      const job = encodeURIComponent(filterParamValue(key));
      const summary = await apiGet(`/api/v1/stats/summary?${WINDOW}&job=${job}`);
      expect({ key, delivered: summary.body.counts.delivered }).toEqual({ key, delivered });
      const records = await apiGet(`/api/v1/records?${WINDOW}&job=${job}&limit=500`);
      expect(records.body.records.map((r: { jobId: string | null }) => r.jobId ?? '')).toEqual(
        Array(delivered).fill(key),
      );
    }
    // Plain commas still separate alternatives, and a quote left open is a 400.
    const both = await apiGet(
      `/api/v1/stats/summary?${WINDOW}&job=plain,${encodeURIComponent('"promo,2026"')}`,
    );
    expect(both.body.counts.delivered).toBe(5);
    const open = await apiGet(`/api/v1/stats/summary?${WINDOW}&job=${encodeURIComponent('"promo')}`);
    expect(open.status).toBe(400);
    expect(open.body.error).toEqual({ message: 'job has a quote that is not closed', param: 'job' });
  });
});
