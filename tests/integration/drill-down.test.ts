import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagTemplate } from '../../lib/acct/diag-template.ts';
import { getPrisma } from '../../lib/db/client.ts';
import { parseFilters } from '../../lib/filters.ts';
import { getBreakdown } from '../../lib/queries/get-breakdown.ts';
import { getBreakdownSeries } from '../../lib/queries/get-breakdown-series.ts';
import { getFilterOptions } from '../../lib/queries/get-filter-options.ts';
import { getHasData } from '../../lib/queries/get-has-data.ts';
import { getRecords } from '../../lib/queries/get-records.ts';
import { getSummary } from '../../lib/queries/get-summary.ts';
import { getTopDiagnostics } from '../../lib/queries/get-top-diagnostics.ts';
import { createTestDatabase, type TestDatabase } from '../db.ts';
import { apiGet, copyFixtures, ingestOnce } from '../helpers.ts';

// The queries behind the breakdown and detail screens, over the quirks fixture: every number they
// show must add up to the stats and to the records the explorer lists for it.

const HOUR = 'from=2026-01-10T10:00:00Z&to=2026-01-10T11:00:00Z';
const filters = (extra = '') => parseFilters(new URLSearchParams(`${HOUR}${extra}`));

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  process.env.DATABASE_URL = db.url;
  expect(await getHasData()).toBe(false);
  const dir = copyFixtures('acct-drill-');
  await ingestOnce(db.url, [dir]);
});

afterAll(async () => {
  await db?.drop();
});

async function countRecords(query: Parameters<typeof getRecords>[0]): Promise<number> {
  let n = 0;
  let cursor: string | undefined;
  do {
    const page = await getRecords({ ...query, cursor, limit: 3 });
    n += page.records.length;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return n;
}

describe('drill-down queries', () => {
  it('knows that something was ingested', async () => {
    expect(await getHasData()).toBe(true);
  });

  it('offers every value seen as filter options, and the largest domains of the range', async () => {
    const { options, more } = await getFilterOptions(filters());
    expect(more).toEqual({});
    expect(options.provider).toEqual(['Google', 'Microsoft', 'Other', 'Yahoo']);
    expect(options.vmta).toEqual(['vmta1', 'vmta2', 'vmta29']);
    expect(options.pool).toEqual(['pool-a', 'pool-b']);
    expect(options.job).toEqual(['job-1', 'job-2']);
    expect(options.domain).toContain('gmail.com');
    expect(options.domain).toContain('bücher.de');
    // Every value of the dimension dictionary, read from the rollups' keys.
    const seen = await db.query<{ f: string; v: string[] }>(
      `SELECT f, array_agg(DISTINCT v ORDER BY v) AS v FROM (
         SELECT 'provider' AS f, provider AS v FROM acct_dim UNION ALL SELECT 'vmta', vmta FROM acct_dim
         UNION ALL SELECT 'pool', vmta_pool FROM acct_dim UNION ALL SELECT 'sourceIp', source_ip FROM acct_dim
         UNION ALL SELECT 'job', job_id FROM acct_dim UNION ALL SELECT 'source', source FROM acct_dim) a
        WHERE v <> '' GROUP BY f`,
    );
    expect(seen.length).toBe(6);
    for (const { f, v } of seen) expect(options[f as keyof typeof options]).toEqual([...v].sort());
    const { options: empty } = await getFilterOptions(
      parseFilters(new URLSearchParams('from=2025-01-01&to=2025-01-02')),
    );
    expect(empty.domain).toEqual([]);
    expect(empty.provider).toEqual(options.provider);
  });

  it('lists the diagnostics of every bounce and deferral, each adding up to its records', async () => {
    // From the insight rollups, and (a job: not in them) from the raw records.
    for (const extra of ['', '&vmta=vmta2', '&provider=Google', '&domain=yahoo.com', '&job=job-2']) {
      const f = filters(extra);
      const [{ rows }, { counts }] = await Promise.all([getTopDiagnostics(f, 1000), getSummary(f)]);
      expect(rows.length, extra).toBeGreaterThan(0);
      const sum = (k: 'bounced' | 'deferred' | 'queueDeferred' | 'remoteBounced') =>
        rows.reduce((a, r) => a + r.counts[k], 0);
      expect([sum('bounced'), sum('deferred'), sum('queueDeferred'), sum('remoteBounced')]).toEqual([
        counts.bounced,
        counts.deferred,
        counts.queueDeferred,
        counts.remoteBounced,
      ]);
      for (const row of rows) {
        for (const [type, key] of [
          ['b', 'bounced'],
          ['t', 'deferred'],
          ['tq', 'queueDeferred'],
          ['rb', 'remoteBounced'],
        ] as const) {
          if (row.counts[key] === 0) continue;
          expect(await countRecords({ filters: f, types: [type], template: row.key, limit: 3 })).toBe(
            row.counts[key],
          );
        }
      }
    }
    const text = 'smtp;554 5.1.1 <c@yahoo.com>: recipient invalid, sorry';
    const row = { template: diagTemplate(text), sample: text, total: 1 };
    // From the rollups: first and last seen are the minute bucket holding the record.
    expect((await getTopDiagnostics(filters('&domain=yahoo.com'), 10)).rows).toEqual([
      expect.objectContaining({
        ...row,
        firstSeen: '2026-01-10T10:01:00.000Z',
        lastSeen: '2026-01-10T10:01:00.000Z',
      }),
    ]);
    // A bound off the minute (which the rollups cannot answer): from the raw records, to the second.
    const offMinute = parseFilters(
      new URLSearchParams('from=2026-01-10T10:00:30Z&to=2026-01-10T11:00:00Z&domain=yahoo.com'),
    );
    expect((await getTopDiagnostics(offMinute, 10)).rows).toEqual([
      expect.objectContaining({
        ...row,
        firstSeen: '2026-01-10T10:01:10.000Z',
        lastSeen: '2026-01-10T10:01:10.000Z',
      }),
    ]);
  });

  it('lists exactly the records of each provider (found through their domains, no provider index)', async () => {
    const raw = await getPrisma().$queryRaw<{ provider: string; n: number }[]>`
      SELECT provider, count(*)::int AS n FROM acct_record
       WHERE time_logged >= '2026-01-10T10:00:00Z' AND time_logged < '2026-01-10T11:00:00Z'
       GROUP BY provider ORDER BY provider`;
    expect(raw.length).toBeGreaterThan(2);
    for (const { provider, n } of raw) {
      expect(await countRecords({ filters: filters(`&provider=${provider}`), types: [], limit: 3 })).toBe(n);
    }
    const both = raw.slice(0, 2);
    expect(
      await countRecords({
        filters: filters(both.map((r) => `&provider=${r.provider}`).join('')),
        types: [],
        limit: 3,
      }),
    ).toBe(both[0].n + both[1].n);
  });

  it('finds records without a diagnostic through an empty diag', async () => {
    const { body } = await apiGet(`/api/v1/records?${HOUR}&type=b&diag=`);
    expect(body.records.map((r: { rcpt: string }) => r.rcpt).sort()).toEqual([
      'k@xn--bcher-kva.de',
      'user3@domain.com',
    ]);
  });

  it('draws sparklines that add up to the breakdown they sit in', async () => {
    const f = filters();
    const { rows } = await getBreakdown(f, 'vmta', 100);
    const series = await getBreakdownSeries(
      f,
      'vmta',
      rows.map((r) => r.key),
      'minute',
      'UTC',
    );
    expect(series.size).toBe(rows.length);
    for (const row of rows) {
      const points = series.get(row.key) ?? [];
      expect(points).toHaveLength(60);
      for (const k of ['delivered', 'bounced', 'deferred', 'complaints'] as const) {
        expect(points.reduce((a, p) => a + p.counts[k], 0)).toBe(row.counts[k]);
      }
    }
    // Complaints reach vmta1 through the sending IP, in the bucket of the complaint.
    const vmta1 = series.get('vmta1') ?? [];
    expect(vmta1[20].counts.complaints).toBe(1);
  });

  it('groups diagnostics that differ only in their message ids (Gmail, Microsoft) into one row', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'acct-diags-'));
    const gmail = (id: string) =>
      `"smtp;452-4.2.2 The recipient's inbox is out of storage space. Please direct the recipient to https://support.google.com/mail/?p=OverQuotaTemp ${id} - gsmtp"`;
    const ids = ['a1b2c3d4e5f60-0aea6302b34si8026417qtx.603', '036ba115f5810-6d8b99e9b4asi1981343qtx.155'];
    writeFileSync(
      path.join(dir, 'acct-2026-01-10-1200.csv'),
      [
        'type,timeLogged,rcpt,dsnStatus,dsnDiag,vmta',
        `t,2026-01-10 12:01:00+0000,x1@gmail.com,4.2.2 (mailbox full),${gmail(ids[0])},vmta1`,
        `t,2026-01-10 12:02:00+0000,x2@gmail.com,4.2.2 (mailbox full),${gmail(ids[1])},vmta1`,
        `b,2026-01-10 12:03:00+0000,x3@gmail.com,4.2.2 (mailbox full),${gmail('9f8e7d6c5b4a3-1e90f8b9b26si2076121qkb.268')},vmta1`,
        't,2026-01-10 12:04:00+0000,x4@gmail.com,4.7.0 (other),smtp;421 4.7.0 Try again later,vmta1',
        '',
      ].join('\n'),
    );
    await ingestOnce(db.url, [dir]);
    const f = parseFilters(
      new URLSearchParams('from=2026-01-10T12:00:00Z&to=2026-01-10T13:00:00Z&domain=gmail.com'),
    );
    const { rows } = await getTopDiagnostics(f, 10);
    expect(rows.map((r) => [r.template, r.counts.deferred, r.counts.bounced])).toEqual([
      [diagTemplate(gmail(ids[0]).slice(1, -1)), 2, 1],
      [diagTemplate('smtp;421 4.7.0 Try again later'), 1, 0],
    ]);
    expect(rows[0].template).not.toContain(ids[0]);
    expect(rows[0].sample).toMatch(/^smtp;452-4\.2\.2 .* - gsmtp$/);
    // Each count opens exactly its records (the explorer's template filter).
    expect(await countRecords({ filters: f, types: ['t'], template: rows[0].key, limit: 3 })).toBe(2);
    expect(await countRecords({ filters: f, types: ['b'], template: rows[0].key, limit: 3 })).toBe(1);
  });
});
