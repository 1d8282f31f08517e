import { NextRequest } from 'next/server';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as recordsRoute } from '../../app/api/v1/records/route.ts';
import { LATENCY_BOUNDS_MS, latencyBucket } from '../../lib/acct/latency.ts';
import { type Filters, parseFilters } from '../../lib/filters.ts';
import { getLatency } from '../../lib/queries/get-latency.ts';
import { getLatencyBreakdown } from '../../lib/queries/get-latency-breakdown.ts';
import { parseRecordQuery } from '../../lib/queries/get-records.ts';
import { getRecordsTotal } from '../../lib/queries/get-records-total.ts';
import { recordsHref } from '../../lib/screen-params.ts';
import { createTestDatabase, type TestDatabase } from '../db.ts';
import { apiGet, fixturesAndGenerated, folderWithLines, ingestOnce } from '../helpers.ts';

// The records behind the latency screen's counts (`latency=timed`, `latencyOver=<bound>`): for
// each slice and window the explorer's total equals the latency count it is linked from, and the
// records it lists (JSON pages and CSV) are exactly the timed deliveries, judged here from the raw
// rows with the ingest's own bucket function.

const GEN_END = new Date('2026-03-02T00:00:00Z');
const DAY = 86_400_000;
/** The hour of the hand-written deliveries on the edges of the buckets. */
const EDGES = Date.UTC(2026, 0, 12, 10);

interface RawRow {
  id: string;
  type: string;
  time_logged: Date;
  time_queued: Date | null;
  provider: string;
  rcpt_domain: string;
  vmta: string;
  vmta_pool: string;
  job_id: string;
}

let db: TestDatabase;
let raw: RawRow[] = [];

const epoch = (ms: number) => (ms / 1000).toFixed(3);

beforeAll(async () => {
  db = await createTestDatabase();
  process.env.DATABASE_URL = db.url;
  const dirs = await fixturesAndGenerated('acct-latency-records-', {
    records: 5000,
    days: 1,
    end: GEN_END,
    seed: 5,
    layout: 'full',
  });
  // Latencies on and just past bucket bounds, to the ms (epoch times with a fraction), a negative
  // one (bucket 0), past the last bound (overflow), and deliveries without a usable timeQueued.
  const t = EDGES + 5 * 60_000;
  dirs.push(
    folderWithLines('acct-latency-edges-', 'acct-2026-01-12-edges.csv', [
      'type,timeLogged,timeQueued,rcpt,vmta,jobId',
      `d,${epoch(t + 1001)},${epoch(t)},a@gmail.com,vmta1,edge`,
      `d,${epoch(t + 1000)},${epoch(t)},b@gmail.com,vmta1,edge`,
      `d,${epoch(t)},${epoch(t + 5000)},c@gmail.com,vmta1,edge`,
      `d,${epoch(t)},${epoch(t)},d@yahoo.com,vmta1,edge`,
      `d,${epoch(t + 60_000)},${epoch(t + 60_000 - 259_200_000)},e@yahoo.com,vmta2,edge`,
      `d,${epoch(t + 60_001)},${epoch(t + 60_000 - 259_200_000)},f@yahoo.com,vmta2,edge`,
      `d,${epoch(t)},,g@gmail.com,vmta1,edge`,
      `d,${epoch(t)},yesterday,h@gmail.com,vmta1,edge`,
      `b,${epoch(t)},${epoch(t - 9000)},i@gmail.com,vmta1,edge`,
    ]),
  );
  await ingestOnce(db.url, dirs, { chunkBytes: 16 << 10, batchBytes: 64 << 10 });
  raw = await db.query<RawRow>(
    `SELECT file_id || ':' || byte_offset AS id, type, time_logged, time_queued, provider, rcpt_domain,
            COALESCE(NULLIF(vmta, vmta_pool), '') AS vmta, COALESCE(vmta_pool, '') AS vmta_pool,
            COALESCE(job_id, '') AS job_id
       FROM acct_record`,
  );
}, 120_000);

afterAll(async () => {
  await db?.drop();
});

/** The timed deliveries of the slice slower than `overMs` (all with -Infinity), by the ingest's rule. */
function timed(f: Filters, overMs = Number.NEGATIVE_INFINITY): string[] {
  const above = overMs < 0 ? -1 : LATENCY_BOUNDS_MS.indexOf(overMs);
  return raw
    .filter((r) => {
      const t = r.time_logged.getTime();
      if (r.type !== 'd' || !r.time_queued || t < f.from.getTime() || t >= f.to.getTime()) return false;
      if (f.domain.length && !f.domain.includes(r.rcpt_domain)) return false;
      if (f.provider.length && !f.provider.includes(r.provider)) return false;
      if (f.vmta.length && !f.vmta.includes(r.vmta)) return false;
      if (f.pool.length && !f.pool.includes(r.vmta_pool)) return false;
      if (f.job.length && !f.job.includes(r.job_id)) return false;
      return latencyBucket(t - r.time_queued.getTime()) > above;
    })
    .map((r) => r.id)
    .sort();
}

function request(query: string) {
  return recordsRoute(new NextRequest(new URL(`/api/v1/records?${query}`, 'http://localhost')));
}

/** Every record the API lists for a query, all pages. */
async function listed(query: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const { status, body } = await apiGet(
      `/api/v1/records?${query}&limit=500${cursor ? `&cursor=${cursor}` : ''}`,
    );
    expect(status).toBe(200);
    for (const r of body.records) {
      expect(r.type).toBe('d');
      ids.push(r.id);
    }
    cursor = body.nextCursor;
  } while (cursor);
  return ids.sort();
}

/** The explorer's total ("N records match") for a link's query. */
async function explorerTotal(href: string): Promise<number | null> {
  const params = new URLSearchParams(href.slice(href.indexOf('?') + 1));
  return getRecordsTotal(parseRecordQuery(params, 50));
}

const iso = (ms: number) => new Date(ms).toISOString();
const genDay = GEN_END.getTime() - DAY;

/** Windows as the latency screen has them: whole minutes, with and without whole hours inside. */
const WINDOWS = [
  `from=${iso(genDay)}&to=${iso(GEN_END.getTime())}`,
  `from=${iso(genDay + 3 * 3_600_000 + 17 * 60_000)}&to=${iso(GEN_END.getTime() - 5 * 3_600_000 - 43 * 60_000)}`,
  `from=${iso(genDay + 7 * 3_600_000 + 2 * 60_000)}&to=${iso(genDay + 7 * 3_600_000 + 31 * 60_000)}`,
  `from=${iso(EDGES)}&to=${iso(EDGES + 3_600_000)}`,
];

/** The commonest non-empty value of a column among the generated day's timed deliveries. */
function commonest(col: 'provider' | 'vmta' | 'vmta_pool'): string {
  const counts = new Map<string, number>();
  for (const r of raw) {
    if (r.type === 'd' && r.time_queued && r.time_logged.getTime() >= genDay && r[col] !== '') {
      counts.set(r[col], (counts.get(r[col]) ?? 0) + 1);
    }
  }
  return [...counts].sort((a, b) => b[1] - a[1])[0][0];
}

function slices(): string[] {
  return [
    '',
    `&provider=${commonest('provider')}`,
    `&vmta=${commonest('vmta')}`,
    `&pool=${commonest('vmta_pool')}`,
    `&provider=${commonest('provider')}&pool=${commonest('vmta_pool')}`,
  ];
}

describe('the records behind the latency counts', () => {
  it('ingested timed deliveries in every window, slower ones too', () => {
    for (const w of WINDOWS) expect(timed(parseFilters(new URLSearchParams(w))).length).toBeGreaterThan(5);
    const all = parseFilters(new URLSearchParams(`from=${iso(EDGES - DAY)}&to=${iso(GEN_END.getTime())}`));
    expect(timed(all, 3_600_000).length).toBeGreaterThan(0);
  });

  it('total and list of every slice equal its latency count (overall and per breakdown row)', async () => {
    let compared = 0;
    for (const w of WINDOWS) {
      for (const s of slices()) {
        const label = `${w}${s}`;
        const f = parseFilters(new URLSearchParams(label));
        const { overall } = await getLatency(f, 'hour', 'UTC');
        const href = recordsHref(f, { latency: 'timed' });
        expect({ label, total: await explorerTotal(href) }).toEqual({ label, total: overall.count });
        const expected = timed(f);
        expect(expected.length).toBe(overall.count);
        expect({ label, ids: await listed(href.slice(href.indexOf('?') + 1)) }).toEqual({
          label,
          ids: expected,
        });
        compared++;
      }
      const f = parseFilters(new URLSearchParams(w));
      for (const by of ['provider', 'vmta', 'pool'] as const) {
        const { rows } = await getLatencyBreakdown(f, by, 3);
        expect(rows.length).toBeGreaterThan(0);
        for (const row of rows) {
          const href = recordsHref(f, { [by]: row.key, latency: 'timed' });
          const label = `${w} ${by}=${row.key}`;
          expect({ label, total: await explorerTotal(href) }).toEqual({ label, total: row.count });
          const ids = await listed(href.slice(href.indexOf('?') + 1));
          expect({ label, n: ids.length }).toEqual({ label, n: row.count });
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(40);
  });

  it('lists the deliveries slower than a bound, to the ms, as the histograms count them', async () => {
    const edges = parseFilters(new URLSearchParams(WINDOWS[3]));
    // 1001 ms, 1000 ms, −5 s (bucket 0), 0, 3 days exactly, 3 days + 1 ms; two untimed, one bounce.
    const expected: [number | undefined, number][] = [
      [undefined, 6],
      [0, 4],
      [1000, 3],
      [2000, 2],
      [259_200_000, 1],
    ];
    const edgeOnly = { job: 'edge' };
    for (const [over, n] of expected) {
      const extra: Record<string, string> = over === undefined ? {} : { latencyOver: String(over) };
      const href = recordsHref(edges, { ...edgeOnly, latency: 'timed', ...extra });
      const query = href.slice(href.indexOf('?') + 1);
      // A job is no slice of the insight rollups: counted from the raw rows, which are kept.
      expect({ over, total: await explorerTotal(href) }).toEqual({ over, total: n });
      const ids = await listed(query);
      expect({ over, ids }).toEqual({
        over,
        ids: timed({ ...edges, job: ['edge'] }, over ?? Number.NEGATIVE_INFINITY),
      });
      expect(ids).toHaveLength(n);
    }
    // latencyOver alone means timed deliveries too.
    expect(await listed(`${WINDOWS[3]}&job=edge&latencyOver=1000`)).toHaveLength(3);
    // For the latency screen's slices the total is the histograms' buckets above the bound.
    for (const w of WINDOWS) {
      for (const s of slices()) {
        const f = parseFilters(new URLSearchParams(`${w}${s}`));
        for (const over of [0, 5000, 60_000, 3_600_000]) {
          const href = recordsHref(f, { latency: 'timed', latencyOver: String(over) });
          const label = `${w}${s} over ${over}`;
          const expectedIds = timed(f, over);
          expect({ label, total: await explorerTotal(href) }).toEqual({ label, total: expectedIds.length });
          expect({ label, ids: await listed(href.slice(href.indexOf('?') + 1)) }).toEqual({
            label,
            ids: expectedIds,
          });
        }
      }
    }
  });

  it('counts a window off the minute from the raw rows, the same records', async () => {
    const w = `from=${iso(genDay + 3_600_000 + 12_345)}&to=${iso(genDay + 2 * 3_600_000 + 54_321)}`;
    const f = parseFilters(new URLSearchParams(w));
    const href = recordsHref(f, { latency: 'timed' });
    const expected = timed(f);
    expect(expected.length).toBeGreaterThan(0);
    expect(await explorerTotal(href)).toBe(expected.length);
    expect(await listed(href.slice(href.indexOf('?') + 1))).toEqual(expected);
  });

  it('exports exactly the listed records as CSV', async () => {
    const f = parseFilters(new URLSearchParams(`${WINDOWS[0]}&pool=${commonest('vmta_pool')}`));
    const query = recordsHref(f, { latency: 'timed', latencyOver: '5000' }).split('?')[1];
    const res = await request(`${query}&format=csv`);
    expect(res.status).toBe(200);
    const parsed = Papa.parse<Record<string, string>>(await res.text(), {
      header: true,
      skipEmptyLines: true,
    });
    expect(parsed.errors).toEqual([]);
    const ids = parsed.data.map((r) => r.recordId).sort();
    expect(ids.length).toBeGreaterThan(0);
    expect(ids).toEqual(timed(f, 5000));
    expect(new Set(parsed.data.map((r) => r.type))).toEqual(new Set(['d']));
  });

  it('refuses a bad latency filter, or one combined with what deliveries never have, naming it', async () => {
    const cases: [string, string][] = [
      ['latency=slow', 'latency'],
      ['latency=', 'latency'],
      ['latency=timed&latency=timed', 'latency'],
      ['latency=timed&type=b', 'latency'],
      ['latency=timed&type=d,t', 'latency'],
      ['latencyOver=5000&type=tq', 'latency'],
      ['latency=timed&template=0123456789abcdef', 'latency'],
      ['latency=timed&suppression=events', 'latency'],
      ['latency=timed&latencyOver=1500', 'latencyOver'],
      ['latency=timed&latencyOver=-1000', 'latencyOver'],
      ['latency=timed&latencyOver=5s', 'latencyOver'],
      ['latency=timed&latencyOver=', 'latencyOver'],
      ['latencyOver=1000&latencyOver=2000', 'latencyOver'],
    ];
    for (const [q, param] of cases) {
      const { status, body } = await apiGet(`/api/v1/records?${WINDOWS[3]}&${q}`);
      expect({ q, status, param: body.error?.param }).toEqual({ q, status: 400, param });
    }
    const csv = await request(`${WINDOWS[3]}&latency=timed&type=b&format=csv`);
    expect(csv.status).toBe(400);
    // Deliveries, said or not, and another filter deliveries have (their queue) are fine.
    for (const q of ['latency=timed&type=d', 'latency=timed&queue=gmail.com/vmta1', 'latencyOver=0&type=d']) {
      expect({ q, status: (await apiGet(`/api/v1/records?${WINDOWS[3]}&${q}`)).status }).toEqual({
        q,
        status: 200,
      });
    }
  });
});
