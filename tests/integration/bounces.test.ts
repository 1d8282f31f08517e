import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetHardBounceCategories } from '../../lib/acct/bounce-class.ts';
import { createTestDatabase, type TestDatabase } from '../db.ts';
import { apiGet, copyFixtures, ingestOnce } from '../helpers.ts';

// Bounces over the quirks fixture: b rows bad-mailbox (c@yahoo.com), policy-related
// (user3@domain.com) and quota-issues (k@bücher.de); one rb (a@gmail.com, quota-issues).

const HOUR = 'from=2026-01-10T10:00:00Z&to=2026-01-10T11:00:00Z&tz=UTC';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  process.env.DATABASE_URL = db.url;
  const dir = copyFixtures('acct-bounces-');
  await ingestOnce(db.url, [dir]);
});
afterAll(async () => {
  delete process.env.ACCT_HARD_BOUNCE_CATEGORIES;
  resetHardBounceCategories();
  await db?.drop();
});

describe('bounces API', () => {
  it('splits hard from soft by category and keeps remote bounces apart', async () => {
    const { status, body } = await apiGet(`/api/v1/bounces?${HOUR}`);
    expect(status).toBe(200);
    expect(body.totals).toEqual({ hard: 1, soft: 2, expired: 0, remote: 1 });
    expect(body.categories).toEqual([
      { category: 'quota-issues', class: 'soft', bounced: 1, remoteBounced: 1 },
      { category: 'bad-mailbox', class: 'hard', bounced: 1, remoteBounced: 0 },
      { category: 'policy-related', class: 'soft', bounced: 1, remoteBounced: 0 },
    ]);
    expect(body.points).toHaveLength(60);
    const sum = (k: string) => body.points.reduce((a: number, p: Record<string, number>) => a + p[k], 0);
    expect([sum('hard'), sum('soft'), sum('remote')]).toEqual([1, 2, 1]);
    expect(body.points[1]).toMatchObject({ t: '2026-01-10T10:01:00.000Z', hard: 1, soft: 0 });
  });

  it('breaks hard and soft down per provider, every part listable in the records explorer', async () => {
    const { body } = await apiGet(`/api/v1/bounces?${HOUR}&by=provider`);
    const rows = Object.fromEntries(body.breakdown.rows.map((r: { key: string }) => [r.key, r]));
    expect(rows.Yahoo).toMatchObject({ bounced: 1, hard: 1, soft: 0, remote: 0, delivered: 0 });
    expect(rows.Other).toMatchObject({ bounced: 2, hard: 0, soft: 2, remote: 0, delivered: 2 });
    expect(rows.Google).toMatchObject({ bounced: 0, hard: 0, remote: 1, delivered: 3 });
    expect(rows.Other.hardRate).toBe(0);
    const hard = await apiGet(
      `/api/v1/records?${HOUR}&type=b&provider=Yahoo&bounceCategory=bad-mailbox,bad-domain,inactive-mailbox`,
    );
    expect(hard.body.records).toHaveLength(1);
  });

  it('follows a configured hard-bounce list', async () => {
    process.env.ACCT_HARD_BOUNCE_CATEGORIES = 'bad-mailbox,policy-related';
    resetHardBounceCategories();
    const { body } = await apiGet(`/api/v1/bounces?${HOUR}&by=domain`);
    expect(body.totals).toEqual({ hard: 2, soft: 1, expired: 0, remote: 1 });
    const rows = Object.fromEntries(body.breakdown.rows.map((r: { key: string }) => [r.key, r]));
    expect(rows['domain.com']).toMatchObject({ hard: 1, soft: 0 });
    delete process.env.ACCT_HARD_BOUNCE_CATEGORIES;
    resetHardBounceCategories();
  });

  it('answers bad parameters with 400', async () => {
    for (const [query, param] of [
      ['by=colour', 'by'],
      ['bucket=week', 'bucket'],
      ['range=90d&bucket=minute', 'bucket'],
    ]) {
      const { status, body } = await apiGet(`/api/v1/bounces?${query}`);
      expect(status).toBe(400);
      expect(body.error.param).toBe(param);
    }
  });
});
