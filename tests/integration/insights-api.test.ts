import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagTemplate, templateKey } from '../../lib/acct/diag-template.ts';
import { parseFilters } from '../../lib/filters.ts';
import { getQueueDeferrals } from '../../lib/queries/get-queue-deferrals.ts';
import { createTestDatabase, type TestDatabase } from '../db.ts';
import { apiGet, copyFixtures, ingestOnce } from '../helpers.ts';

// The reasons, latency and DSN-code endpoints over the quirks fixture, exact numbers.

const HOUR = 'from=2026-01-10T10:00:00Z&to=2026-01-10T11:00:00Z&tz=UTC';
const key = (diag: string) => templateKey(diagTemplate(diag));

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  process.env.DATABASE_URL = db.url;
  const dir = copyFixtures('acct-insights-api-');
  await ingestOnce(db.url, [dir]);
});
afterAll(async () => {
  await db?.drop();
});

describe('insight endpoints', () => {
  it('groups every deferral and bounce into a reason, with its records one filter away', async () => {
    const { status, body } = await apiGet(`/api/v1/reasons?${HOUR}&trend=1`);
    expect(status).toBe(200);
    expect(body.total).toBe(6); // t 1, tq 1, b 3, rb 1
    const byKey = Object.fromEntries(body.rows.map((r: { key: string }) => [r.key, r]));
    expect(byKey[''].counts).toEqual({ deferred: 0, queueDeferred: 1, bounced: 2, remoteBounced: 0 });
    const invalid = byKey[key('smtp;554 5.1.1 <c@yahoo.com>: recipient invalid, sorry')];
    expect(invalid).toMatchObject({
      total: 1,
      counts: { bounced: 1 },
      sample: 'smtp;554 5.1.1 <c@yahoo.com>: recipient invalid, sorry',
      firstSeen: '2026-01-10T10:01:00.000Z',
    });
    expect(invalid.share).toBeCloseTo(1 / 6, 12);
    expect(invalid.trend).toHaveLength(60);
    expect(invalid.trend[1]).toEqual({ t: '2026-01-10T10:01:00.000Z', n: 1 });
    for (const row of body.rows) {
      const records = await apiGet(`/api/v1/records?${HOUR}&template=${row.key}&type=t,tq,b,rb`);
      expect(records.body.records).toHaveLength(row.total);
    }
    const deferrals = await apiGet(`/api/v1/reasons?${HOUR}&type=t`);
    expect(deferrals.body.total).toBe(1);
    expect(deferrals.body.rows[0].sample).toBe('smtp;421 4.7.0 mx002 Error: too many errors');
  });

  it('counts queue deferrals per queue, each queue one filter away from its records', async () => {
    const { rows, totalQueues } = await getQueueDeferrals(parseFilters(new URLSearchParams(HOUR)), 10);
    expect(totalQueues).toBe(1);
    expect(rows).toEqual([
      { queue: 'bücher.de/vmta29', total: 1, topReason: { key: '', template: '', n: 1 } },
    ]);
    const records = await apiGet(
      `/api/v1/records?${HOUR}&type=tq&queue=${encodeURIComponent('bücher.de/vmta29')}`,
    );
    expect(records.body.records).toHaveLength(1);
    expect((await apiGet(`/api/v1/records?${HOUR}&queue=gmail.com/vmta1&type=tq`)).body.records).toHaveLength(
      0,
    );
  });

  it('gives delivery latency percentiles from the histograms', async () => {
    const { body } = await apiGet(`/api/v1/latency?${HOUR}&by=provider`);
    // Only the first delivery file has timeQueued: 4 s, 28 s and 30 s.
    expect(body.overall.count).toBe(3);
    expect(body.overall.p50).toBeGreaterThanOrEqual(28_000);
    expect(body.overall.p99).toBeGreaterThanOrEqual(30_000);
    expect(body.overall.p99).toBeLessThanOrEqual(45_000);
    expect(body.points).toHaveLength(60);
    expect(body.points.reduce((a: number, p: { count: number }) => a + p.count, 0)).toBe(3);
    const rows = Object.fromEntries(body.breakdown.rows.map((r: { key: string }) => [r.key, r]));
    expect(rows.Google.count).toBe(2);
    expect(rows.Microsoft.count).toBe(1);
  });

  it('counts bounces and deferrals per DSN status code', async () => {
    const { body } = await apiGet(`/api/v1/dsn-codes?${HOUR}`);
    const byCode = Object.fromEntries(
      body.rows.map((r: { code: string; counts: object }) => [r.code, r.counts]),
    );
    expect(byCode['5.1.1']).toEqual({ bounced: 1, remoteBounced: 0, deferred: 0 });
    expect(byCode['4.7.0']).toEqual({ bounced: 0, remoteBounced: 0, deferred: 1 });
    expect(byCode['5.2.2']).toEqual({ bounced: 0, remoteBounced: 1, deferred: 0 });
    expect(byCode['']).toEqual({ bounced: 2, remoteBounced: 0, deferred: 0 });
    // Every count is exactly the records of its type with its code (dsnCode=, '' for none).
    let followed = 0;
    for (const row of body.rows as { code: string; counts: Record<string, number> }[]) {
      for (const [key, type] of [
        ['bounced', 'b'],
        ['remoteBounced', 'rb'],
        ['deferred', 't'],
      ] as const) {
        const records = await apiGet(`/api/v1/records?${HOUR}&type=${type}&dsnCode=${row.code}&limit=500`);
        expect(records.body.records, `${row.code} ${type}`).toHaveLength(row.counts[key]);
        followed += row.counts[key];
      }
    }
    expect(followed).toBe(5);
    for (const bad of ['5.7', '5.7.1.2', 'x', '5.7.1000']) {
      const { status, body: error } = await apiGet(`/api/v1/records?${HOUR}&dsnCode=${bad}`);
      expect(status, bad).toBe(400);
      expect(error.error.param).toBe('dsnCode');
    }
  });

  it('names what these views cannot filter by, and ranges off the minute', async () => {
    for (const [query, param] of [
      [`${HOUR}&job=job-1`, 'job'],
      ['from=2026-01-10T10:00:30Z&to=2026-01-10T11:00:00Z', 'from'],
      [`${HOUR}&type=d`, 'type'],
    ]) {
      const { status, body } = await apiGet(`/api/v1/reasons?${query}`);
      expect(status).toBe(400);
      expect(body.error.param).toBe(param);
    }
    expect((await apiGet(`/api/v1/latency?${HOUR}&by=job`)).body.error.param).toBe('by');
    // A screen's parameter that no endpoint reads, refused as everywhere else.
    for (const endpoint of ['reasons', 'latency', 'bounces', 'stats/timeseries']) {
      const { status, body } = await apiGet(`/api/v1/${endpoint}?${HOUR}&refresh=10`);
      expect(status, endpoint).toBe(400);
      expect(body.error.param).toBe('refresh');
    }
  });
});
