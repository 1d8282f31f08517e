import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Counts } from '../../lib/acct/types.ts';
import { getPrisma } from '../../lib/db/client.ts';
import { type FilterParam, type Filters, windowOnly } from '../../lib/filters.ts';
import { Prisma } from '../../lib/generated/prisma/client.ts';
import type { Dimension } from '../../lib/queries/count-query.ts';
import { addCount, emptyCounts } from '../../lib/queries/counts.ts';
import { getBreakdown } from '../../lib/queries/get-breakdown.ts';
import { getMatrix } from '../../lib/queries/get-matrix.ts';
import { rawFilterConditions } from '../../lib/queries/raw-filters.ts';
import { createTestDatabase, type TestDatabase } from '../db.ts';
import { apiGet, fixturesAndGenerated, ingestOnce } from '../helpers.ts';

// The sending side × provider grid (pools, VirtualMTAs, sending IPs against the providers): every
// cell must be the counts of the raw records the explorer lists for that key and provider
// (complaints reaching a pool or VirtualMTA through their sending IP), and a row's counts those of
// every provider, the providers not shown included.

const GEN_END = Date.parse('2026-10-27T00:00:00Z');
const HOUR = 3_600_000;

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase('matrix');
  process.env.DATABASE_URL = db.url;
  const dirs = await fixturesAndGenerated('acct-matrix-', {
    records: 15000,
    days: 2,
    end: new Date(GEN_END),
    seed: 23,
  });
  await ingestOnce(db.url, dirs);
}, 180_000);

afterAll(async () => {
  await db?.drop();
});

/** Counts per provider of the raw records of `f` (as the records explorer selects them). */
async function rawByProvider(f: Filters): Promise<Map<string, Counts>> {
  const where = await rawFilterConditions(f, getPrisma());
  const rows = await getPrisma().$queryRaw<{ provider: string; type: string; n: number }[]>(
    Prisma.sql`SELECT r.provider, r.type, count(*)::int AS n FROM acct_record r
      WHERE ${Prisma.join(where, ' AND ')} GROUP BY 1, 2`,
  );
  const out = new Map<string, Counts>();
  for (const r of rows) {
    const c = out.get(r.provider) ?? emptyCounts();
    addCount(c, r.type, r.n);
    out.set(r.provider, c);
  }
  return out;
}

const sumOf = (cs: Iterable<Counts>) => {
  const total = emptyCounts();
  for (const c of cs) for (const [k, v] of Object.entries(c)) total[k as keyof Counts] += v;
  return total;
};

describe('sending side × provider grid', () => {
  // Whole hours and minute edges, so that both rollup grains and raw edges are read.
  const from = new Date(GEN_END - 40 * HOUR - 17 * 60_000);
  const to = new Date(GEN_END - 3 * HOUR + 23 * 60_000);
  const sets: Partial<Record<FilterParam, string[]>>[] = [{}, { domain: ['gmail.com', 'yahoo.com'] }];

  for (const by of ['pool', 'vmta', 'sourceIp'] as Dimension[]) {
    it(`gives every ${by} × provider cell the counts of its raw records`, async () => {
      for (const set of sets) {
        const f = windowOnly(from, to, set);
        const matrix = await getMatrix(f, by, 'provider', { maxRows: 10_000, maxColumns: 10_000 });
        expect(matrix.rows.length, by).toBeGreaterThan(1);
        expect(matrix.columns.length, by).toBeGreaterThan(set.domain ? 1 : 2);
        expect([matrix.moreRows, matrix.moreColumns]).toEqual([0, 0]);
        let complaints = 0;
        for (const row of matrix.rows) {
          const raw = await rawByProvider({ ...f, [by]: [row.key] });
          // Every provider with attempts or complaints of this key has its cell, equal to the raw.
          const rated = [...raw].filter(([, c]) => c.delivered + c.bounced + c.deferred + c.complaints > 0);
          for (const [provider, counts] of rated) {
            expect(row.cells.get(provider), `${by} ${row.key} × ${provider} ${JSON.stringify(set)}`).toEqual(
              counts,
            );
          }
          // The row is the key's records over every provider.
          expect(row.counts, `${by} ${row.key}`).toEqual(sumOf(raw.values()));
          complaints += row.counts.complaints;
        }
        // Complaints reach these keys through their sending IP: the fixtures and generator have some.
        if (set.domain === undefined) expect(complaints, by).toBeGreaterThan(0);
        // A column is the provider's records over every key, as the provider's own raw records.
        for (const column of matrix.columns) {
          const raw = await rawByProvider({ ...f, provider: [column.key] });
          expect(column.counts.deferred, column.key).toBe(raw.get(column.key)?.deferred ?? 0);
          expect(column.counts.delivered, column.key).toBe(raw.get(column.key)?.delivered ?? 0);
        }
      }
    }, 120_000);
  }

  it('keeps the keys with the most attempts, and says how many more there are', async () => {
    const f = windowOnly(from, to);
    const all = await getMatrix(f, 'vmta', 'provider', { maxRows: 10_000, maxColumns: 10_000 });
    const top = await getMatrix(f, 'vmta', 'provider', { maxRows: 3, maxColumns: 2 });
    const attempts = (c: Counts) => c.delivered + c.bounced + c.deferred;
    expect(top.rows.map((r) => r.key)).toEqual(all.rows.slice(0, 3).map((r) => r.key));
    expect(top.columns.map((c) => c.key)).toEqual(all.columns.slice(0, 2).map((c) => c.key));
    expect([top.moreRows, top.moreColumns]).toEqual([all.rows.length - 3, all.columns.length - 2]);
    for (let i = 1; i < all.rows.length; i++) {
      expect(attempts(all.rows[i - 1].counts)).toBeGreaterThanOrEqual(attempts(all.rows[i].counts));
    }
    // A row's counts still hold the providers not shown.
    for (const row of top.rows) {
      expect(row.counts).toEqual(all.rows.find((r) => r.key === row.key)?.counts);
    }
  }, 60_000);

  it('is in the breakdown API: thenBy breaks each row down again, the rows as the plain breakdown', async () => {
    const window = `from=${from.toISOString()}&to=${to.toISOString()}`;
    for (const [by, thenBy] of [
      ['provider', 'pool'],
      ['pool', 'provider'],
      ['domain', 'vmta'],
    ] as [Dimension, Dimension][]) {
      const { status, body } = await apiGet(
        `/api/v1/stats/breakdown?${window}&by=${by}&thenBy=${thenBy}&limit=1000`,
      );
      expect(status).toBe(200);
      expect([body.by, body.thenBy]).toEqual([by, thenBy]);
      // The rows are the plain breakdown's, in its order (read from other rollups).
      const plain = await getBreakdown(windowOnly(from, to), by, 1000);
      expect(body.rows.map((r: { key: string; counts: Counts }) => [r.key, r.counts])).toEqual(
        plain.rows.map((r) => [r.key, r.counts]),
      );
      expect(body.totalRows).toBe(plain.totalRows);
      for (const row of body.rows as {
        key: string;
        counts: Counts;
        parts: { key: string; counts: Counts }[];
      }[]) {
        // A row is the sum of its parts, each part the raw records of the pair.
        expect(sumOf(row.parts.map((p) => p.counts)), row.key).toEqual(row.counts);
        const keys = row.parts.map((p) => p.key);
        expect(new Set(keys).size).toBe(keys.length);
      }
    }
    const one = (await apiGet(`/api/v1/stats/breakdown?${window}&by=pool&thenBy=provider&limit=1`)).body
      .rows[0];
    const raw = await rawByProvider({ ...windowOnly(from, to), pool: [one.key] });
    for (const part of one.parts)
      expect(part.counts, `${one.key} × ${part.key}`).toEqual(raw.get(part.key) ?? emptyCounts());
    // The CSV has a line per pair: the row's key, the pair's key, its counts.
    const { NextRequest } = await import('next/server');
    const { GET } = await import('../../app/api/v1/stats/breakdown/route.ts');
    const res = await GET(
      new NextRequest(
        new URL(`/api/v1/stats/breakdown?${window}&by=pool&thenBy=provider&format=csv`, 'http://localhost'),
      ),
    );
    const lines = (await res.text()).trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^pool,provider,delivered,/);
    const all = (await apiGet(`/api/v1/stats/breakdown?${window}&by=pool&thenBy=provider&limit=1000`)).body
      .rows;
    expect(lines.length - 1).toBe(all.reduce((n: number, r: { parts: unknown[] }) => n + r.parts.length, 0));
    expect(res.headers.get('content-disposition')).toContain('breakdown-pool-provider-');
    // The same dimension twice, or one that is not, is a bad parameter.
    for (const q of ['by=pool&thenBy=pool', 'by=pool&thenBy=pools']) {
      const bad = await apiGet(`/api/v1/stats/breakdown?${window}&${q}`);
      expect(bad.status, q).toBe(400);
      expect(bad.body.error.param).toBe('thenBy');
    }
  }, 60_000);
});
