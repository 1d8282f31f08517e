import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compactRollups, ROLLUP_TABLES } from '../../ingest/compact.ts';
import { diagTemplate, templateKey } from '../../lib/acct/diag-template.ts';
import { dsnCode } from '../../lib/acct/dsn-code.ts';
import { emptyHistogram, LATENCY_BOUNDS_MS, latencyBucket, latencyStats } from '../../lib/acct/latency.ts';
import { getPrisma } from '../../lib/db/client.ts';
import { type Filters, ParamError, parseFilters } from '../../lib/filters.ts';
import { getDsnCodes } from '../../lib/queries/get-dsn-codes.ts';
import { getInsightTotal } from '../../lib/queries/get-insight-total.ts';
import { getLatency } from '../../lib/queries/get-latency.ts';
import { getLatencyBreakdown, getLatencyBreakdowns } from '../../lib/queries/get-latency-breakdown.ts';
import { getReasonSeries } from '../../lib/queries/get-reason-series.ts';
import { getReasons, REASON_TYPES } from '../../lib/queries/get-reasons.ts';
import { getRecords, parseRecordQuery } from '../../lib/queries/get-records.ts';
import { buildInsightQuery, type InsightRow } from '../../lib/queries/insight-query.ts';
import { createTestDatabase, type TestDatabase } from '../db.ts';
import { apiGet, fixturesAndGenerated, folderWithLines, ingestOnce } from '../helpers.ts';

// The insight rollups (reasons, latency histograms, DSN codes) against the raw records they
// summarise: for several slices and windows, every number must equal what JavaScript computes
// from the acct_record rows with the same template / bucket functions.

const GEN_END = new Date('2026-03-02T00:00:00Z');

interface RawRow {
  type: string;
  time_logged: Date;
  time_queued: Date | null;
  provider: string;
  rcpt_domain: string;
  vmta: string;
  vmta_pool: string;
  dsn_diag: string | null;
  dsn_status: string | null;
  diag_key: string | null;
  queue: string | null;
}

let db: TestDatabase;
let raw: RawRow[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  process.env.DATABASE_URL = db.url;
  const dirs = await fixturesAndGenerated('acct-insights-', {
    records: 6000,
    days: 1,
    end: GEN_END,
    seed: 11,
    layout: 'full',
  });
  // Deliveries slower than the histograms' last bound (3 days), which none of the above is: the
  // overflow bucket, read as "more than 3 days" (it read "at most").
  dirs.push(
    folderWithLines('acct-insights-slow-', 'acct-2026-01-10-slow.csv', [
      'type,timeLogged,timeQueued,rcpt,vmta',
      'd,2026-01-10 10:30:00+0000,2026-01-06 09:00:00+0000,slow1@gmail.com,vmta2',
      'd,2026-01-10 10:31:00+0000,2026-01-06 09:00:00+0000,slow2@gmail.com,vmta2',
    ]),
  );
  // Small batches: many rollup rows per key, as live tailing writes them; each batch gathers
  // several chunks, whose counts are summed per key before they are written.
  await ingestOnce(db.url, dirs, { chunkBytes: 16 << 10, batchBytes: 64 << 10 });
  raw = await db.query<RawRow>(
    `SELECT type, time_logged, time_queued, provider, rcpt_domain, COALESCE(vmta, '') AS vmta,
            COALESCE(vmta_pool, '') AS vmta_pool, dsn_diag, dsn_status, diag_key, queue FROM acct_record`,
  );
}, 120_000);

afterAll(async () => {
  await db?.drop();
});

function inSlice(r: RawRow, f: Filters): boolean {
  const t = r.time_logged.getTime();
  if (t < f.from.getTime() || t >= f.to.getTime()) return false;
  if (f.domain.length && !f.domain.includes(r.rcpt_domain)) return false;
  if (f.provider.length && !f.provider.includes(r.provider)) return false;
  if (f.vmta.length && !f.vmta.includes(r.vmta)) return false;
  if (f.pool.length && !f.pool.includes(r.vmta_pool)) return false;
  return true;
}

const keyOf = (diag: string | null) => (diag ? templateKey(diagTemplate(diag)) : '');

function tally<T>(rows: T[], key: (r: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rows) out[key(r)] = (out[key(r)] ?? 0) + 1;
  return out;
}

/** The most common value of a column among rows of some types (to build realistic filters). */
function commonest(
  types: string[],
  col: 'provider' | 'rcpt_domain' | 'vmta' | 'vmta_pool',
  from: Date,
): string {
  const counts = tally(
    raw.filter((r) => types.includes(r.type) && r.time_logged >= from && r[col] !== ''),
    (r) => r[col],
  );
  return Object.entries(counts).sort((a, b) => b[1] - a[1])[0][0];
}

/** Windows: a whole hour of the fixtures, a minute-edged part of it, the generated day, and a
 * range of the generated day with minute edges around hour rollups. */
function windows(): string[] {
  const day = GEN_END.getTime() - 86_400_000;
  const iso = (ms: number) => new Date(ms).toISOString();
  return [
    'from=2026-01-10T10:00:00Z&to=2026-01-10T11:00:00Z',
    'from=2026-01-10T10:01:00Z&to=2026-01-10T10:17:00Z',
    `from=${iso(day)}&to=${iso(GEN_END.getTime())}`,
    `from=${iso(day + 3 * 3_600_000 + 17 * 60_000)}&to=${iso(GEN_END.getTime() - 5 * 3_600_000 - 43 * 60_000)}`,
  ];
}

function sliceSets(): string[] {
  const genStart = new Date(GEN_END.getTime() - 86_400_000);
  const diagnosed = ['t', 'b'];
  return [
    '',
    '&provider=Google',
    '&domain=yahoo.com',
    '&vmta=vmta2',
    `&provider=${commonest(diagnosed, 'provider', genStart)}`,
    `&domain=${commonest(diagnosed, 'rcpt_domain', genStart)}`,
    `&vmta=${commonest(['d'], 'vmta', genStart)}`,
    `&pool=${commonest(['d'], 'vmta_pool', genStart)}`,
    `&provider=Google,Microsoft&pool=${commonest(['d'], 'vmta_pool', genStart)}`,
  ];
}

function* cases(): Generator<[string, Filters]> {
  for (const w of windows())
    for (const s of sliceSets()) yield [`${w}${s}`, parseFilters(new URLSearchParams(`${w}${s}`))];
}

async function countRecords(query: Parameters<typeof getRecords>[0]): Promise<number> {
  let n = 0;
  let cursor: string | undefined;
  do {
    const page = await getRecords({ ...query, cursor, limit: 500 });
    n += page.records.length;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return n;
}

describe('insight rollups kept by the ingest', () => {
  it('ingested a dataset with every kind of entry', () => {
    const types = tally(raw, (r) => r.type);
    for (const t of ['d', 'b', 't', 'tq', 'rb']) expect(types[t] ?? 0).toBeGreaterThan(0);
    expect(raw.length).toBeGreaterThan(6000);
  });

  it('stores the template key of every t/tq/b/rb record, and only of those', () => {
    for (const r of raw) {
      expect(r.diag_key).toBe(
        (REASON_TYPES as readonly string[]).includes(r.type) ? keyOf(r.dsn_diag) : null,
      );
    }
  });

  it('stores each template once, with a full line it came from', async () => {
    const rows = await db.query<{ key: string; template: string; sample: string }>(
      'SELECT * FROM diag_template',
    );
    const used = new Set(raw.map((r) => r.diag_key).filter((k): k is string => !!k));
    expect(new Set(rows.map((r) => r.key))).toEqual(used);
    for (const t of rows) {
      expect(diagTemplate(t.sample)).toBe(t.template);
      expect(templateKey(t.template)).toBe(t.key);
      expect(raw.some((r) => r.dsn_diag === t.sample)).toBe(true);
    }
  });
});

describe('reasons', () => {
  it('counts every reason per record type exactly as the raw records say', async () => {
    for (const [label, f] of cases()) {
      const rows = raw.filter((r) => inSlice(r, f) && (REASON_TYPES as readonly string[]).includes(r.type));
      const expected = tally(rows, (r) => `${keyOf(r.dsn_diag)}|${r.type}`);
      const got = await getReasons(f, { limit: 100_000 });
      const actual: Record<string, number> = {};
      const keys = { deferred: 't', queueDeferred: 'tq', bounced: 'b', remoteBounced: 'rb' } as const;
      for (const row of got.rows) {
        for (const [k, type] of Object.entries(keys)) {
          const n = row.counts[k as keyof typeof keys];
          if (n) actual[`${row.key}|${type}`] = n;
        }
        expect(row.total).toBe(Object.values(row.counts).reduce((a, b) => a + b, 0));
      }
      expect({ label, actual }).toEqual({ label, actual: expected });
      expect({ label, total: got.total }).toEqual({ label, total: rows.length });
      // Every reason is listed under this limit: its count is theirs (the screen's "Top 50 of N").
      expect({ label, totalRows: got.totalRows }).toEqual({ label, totalRows: got.rows.length });
      if (got.total > 0) expect(got.rows.reduce((a, r) => a + r.share, 0)).toBeCloseTo(1, 9);
    }
  });

  it('limits, orders, filters by type and dates the reasons', async () => {
    const f = parseFilters(new URLSearchParams(windows()[2]));
    const all = await getReasons(f, { limit: 100_000 });
    const top = await getReasons(f, { limit: 3 });
    expect(top.rows.map((r) => r.key)).toEqual(all.rows.slice(0, 3).map((r) => r.key));
    expect(top.total).toBe(all.total);
    for (let i = 1; i < all.rows.length; i++)
      expect(all.rows[i - 1].total).toBeGreaterThanOrEqual(all.rows[i].total);
    const bounces = await getReasons(f, { types: ['b', 'rb'], limit: 100_000 });
    expect(bounces.total).toBe(
      raw.filter((r) => inSlice(r, f) && (r.type === 'b' || r.type === 'rb')).length,
    );
    for (const row of bounces.rows) expect(row.counts.deferred + row.counts.queueDeferred).toBe(0);
    for (const row of all.rows) {
      const times = raw
        .filter((r) => inSlice(r, f) && r.diag_key === row.key)
        .map((r) => r.time_logged.getTime());
      const first = Math.min(...times);
      const last = Math.max(...times);
      // Bucket starts: the minute (or, inside whole hours, the hour) holding the first/last record.
      expect(Date.parse(row.firstSeen)).toBeLessThanOrEqual(first);
      expect(first - Date.parse(row.firstSeen)).toBeLessThan(3_600_000);
      expect(Date.parse(row.lastSeen)).toBeLessThanOrEqual(last);
      expect(last - Date.parse(row.lastSeen)).toBeLessThan(3_600_000);
      expect(row.topProviders.reduce((a, p) => a + p.n, 0)).toBeLessThanOrEqual(row.total);
      if (row.key) {
        expect(templateKey(row.template)).toBe(row.key);
        expect(diagTemplate(row.sample)).toBe(row.template);
      } else expect([row.template, row.sample, row.annotation]).toEqual(['', '', null]);
    }
    expect(all.rows.some((r) => r.annotation !== null)).toBe(true);
  });

  it('lists exactly the records behind a reason (template=)', async () => {
    for (const [label, f] of [...cases()].filter((_, i) => i % 3 === 0)) {
      const { rows } = await getReasons(f, { limit: 6 });
      for (const row of rows) {
        const n = await countRecords({ filters: f, types: [], template: row.key, limit: 500 });
        expect({ label, key: row.key, n }).toEqual({ label, key: row.key, n: row.total });
        const bounced = await countRecords({ filters: f, types: ['b'], template: row.key, limit: 500 });
        expect({ label, key: row.key, bounced }).toEqual({
          label,
          key: row.key,
          bounced: row.counts.bounced,
        });
      }
    }
  });

  it('answers template= through the records API, and refuses a malformed key', async () => {
    const w = windows()[0];
    const { rows } = await getReasons(parseFilters(new URLSearchParams(w)), { limit: 1 });
    const res = await apiGet(`/api/v1/records?${w}&template=${rows[0].key}&limit=500`);
    expect(res.status).toBe(200);
    expect(res.body.records).toHaveLength(rows[0].total);
    for (const r of res.body.records) expect(r.diagKey).toBe(rows[0].key);
    const bad = await apiGet(`/api/v1/records?${w}&template=XYZ`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.param).toBe('template');
    expect(() => parseRecordQuery(new URLSearchParams('template=0123456789abcdef0'), 50)).toThrow(ParamError);
    expect(parseRecordQuery(new URLSearchParams('template='), 50).template).toBe('');
  });

  it('draws each reason over time, every bucket present, adding up to its count', async () => {
    for (const [w, bucket] of [
      [windows()[1], 'minute'],
      [windows()[3], 'hour'],
      [windows()[2], 'day'],
    ] as const) {
      const f = parseFilters(new URLSearchParams(w));
      const { rows } = await getReasons(f, { limit: 5 });
      const keys = [...rows.map((r) => r.key), 'ffffffffffffffff'];
      for (const tz of ['UTC', 'Asia/Kolkata']) {
        const series = await getReasonSeries(f, keys, bucket, tz);
        expect([...series.keys()]).toEqual(keys);
        for (const row of rows) expect(series.get(row.key)!.reduce((a, p) => a + p.n, 0)).toBe(row.total);
        expect(series.get('ffffffffffffffff')!.every((p) => p.n === 0)).toBe(true);
      }
      const deferrals = await getReasonSeries(f, keys, bucket, 'UTC', ['t']);
      for (const row of rows)
        expect(deferrals.get(row.key)!.reduce((a, p) => a + p.n, 0)).toBe(row.counts.deferred);
    }
  });
});

describe('delivery latency', () => {
  const rawHistogram = (rows: RawRow[]) => {
    const h = emptyHistogram();
    for (const r of rows) h[latencyBucket(r.time_logged.getTime() - r.time_queued!.getTime())]++;
    return h;
  };
  const delivered = (f: Filters) => raw.filter((r) => r.type === 'd' && r.time_queued && inSlice(r, f));

  it('keeps histograms equal to the raw records, bucket by bucket', async () => {
    for (const [label, f] of cases()) {
      const rows = await getPrisma().$queryRaw<InsightRow[]>(
        buildInsightQuery(f, { kind: 'latency', allowHourRollups: true }),
      );
      const h = emptyHistogram();
      for (const r of rows) h[Number(r.value)] += Number(r.n);
      expect({ label, h }).toEqual({ label, h: rawHistogram(delivered(f)) });
    }
  });

  it('gives count and percentiles overall, per bucket and per key from the histograms', async () => {
    let slowest = 0;
    for (const [label, f] of cases()) {
      const expected = latencyStats(rawHistogram(delivered(f)));
      const got = await getLatency(f, 'hour', 'UTC');
      expect({ label, overall: got.overall }).toEqual({ label, overall: expected });
      // Slower than the last bound, counted from the records themselves (not through a histogram).
      const last = LATENCY_BOUNDS_MS[LATENCY_BOUNDS_MS.length - 1];
      const slower = delivered(f).filter((r) => r.time_logged.getTime() - r.time_queued!.getTime() > last);
      expect({ label, overflow: got.overall.overflow }).toEqual({ label, overflow: slower.length });
      slowest = Math.max(slowest, slower.length);
      expect(got.points.reduce((a, p) => a + p.count, 0)).toBe(expected.count);
      for (const p of got.points) {
        const t = Date.parse(p.t);
        const inBucket = delivered(f).filter(
          (r) => r.time_logged.getTime() >= t && r.time_logged.getTime() < t + 3_600_000,
        );
        expect({ label, p }).toEqual({ label, p: { t: p.t, ...latencyStats(rawHistogram(inBucket)) } });
      }
      const bys = ['provider', 'domain', 'vmta', 'pool'] as const;
      // All four in one read (the latency screen's tables), each equal to its own read below.
      const together = await getLatencyBreakdowns(f, bys, 1000);
      expect([...together.keys()]).toEqual(bys);
      for (const by of bys) {
        const col = { provider: 'provider', domain: 'rcpt_domain', vmta: 'vmta', pool: 'vmta_pool' } as const;
        const { rows, totalRows } = await getLatencyBreakdown(f, by, 1000);
        expect({ label, by, ...together.get(by) }).toEqual({ label, by, rows, totalRows });
        // Every key is listed under this limit: its count is theirs (the screen's "Top 15 of N").
        expect({ label, by, totalRows }).toEqual({ label, by, totalRows: rows.length });
        const groups = new Map<string, RawRow[]>();
        for (const r of delivered(f)) groups.set(r[col[by]], [...(groups.get(r[col[by]]) ?? []), r]);
        expect(rows.map((r) => r.key).sort()).toEqual([...groups.keys()].sort());
        for (const row of rows) {
          expect({ label, by, row }).toEqual({
            label,
            by,
            row: { key: row.key, ...latencyStats(rawHistogram(groups.get(row.key)!)) },
          });
        }
        for (let i = 1; i < rows.length; i++) expect(rows[i - 1].count).toBeGreaterThanOrEqual(rows[i].count);
      }
    }
    // The slow deliveries are in some of the slices: the overflow was compared, not only zeros.
    expect(slowest).toBeGreaterThan(0);
  });

  it('answers nulls where nothing was delivered, and minute buckets too', async () => {
    const f = parseFilters(new URLSearchParams('from=2025-01-01T00:00:00Z&to=2025-01-01T00:10:00Z'));
    const got = await getLatency(f, 'minute', 'UTC');
    expect(got.overall).toEqual({ count: 0, p50: null, p90: null, p99: null, overflow: 0 });
    expect(got.points).toHaveLength(10);
    const w = parseFilters(new URLSearchParams(windows()[1]));
    const minutes = await getLatency(w, 'minute', 'UTC');
    expect(minutes.points).toHaveLength(16);
    expect(minutes.overall).toEqual(latencyStats(rawHistogram(delivered(w))));
  });
});

describe('DSN codes', () => {
  it('counts bounces, remote bounces and deferrals per status code as the raw records say', async () => {
    for (const [label, f] of cases()) {
      const rows = raw.filter((r) => inSlice(r, f) && ['b', 'rb', 't'].includes(r.type));
      const expected = tally(rows, (r) => `${dsnCode(r.dsn_status)}|${r.type}`);
      const got = await getDsnCodes(f, 1000);
      const actual: Record<string, number> = {};
      for (const row of got.rows) {
        for (const [k, type] of [
          ['bounced', 'b'],
          ['remoteBounced', 'rb'],
          ['deferred', 't'],
        ] as const) {
          if (row.counts[k]) actual[`${row.code}|${type}`] = row.counts[k];
        }
        expect(row.total).toBe(row.counts.bounced + row.counts.remoteBounced + row.counts.deferred);
      }
      expect({ label, actual }).toEqual({ label, actual: expected });
      expect({ label, totalRows: got.totalRows }).toEqual({
        label,
        totalRows: new Set(rows.map((r) => dsnCode(r.dsn_status))).size,
      });
    }
    const top = await getDsnCodes(parseFilters(new URLSearchParams(windows()[2])), 2);
    expect(top.rows).toHaveLength(2);
    // The codes before the limit: the screen says "Top 2 of N codes".
    expect(top.totalRows).toBeGreaterThan(2);
    expect(top.rows[0].total).toBeGreaterThanOrEqual(top.rows[1].total);
  });
});

describe("the records explorer's totals from the insight rollups", () => {
  it('count the records of a reason, a DSN code and a queue as the raw records say', async () => {
    let compared = 0;
    let queues = 0;
    for (const [label, f] of cases()) {
      const inside = raw.filter((r) => inSlice(r, f));
      const byReason = tally(
        inside.filter((r) => r.diag_key !== null),
        (r) => r.diag_key ?? '',
      );
      for (const [key, n] of Object.entries(byReason)) {
        const got = await getInsightTotal(f, { kind: 'reason', types: REASON_TYPES, value: key });
        expect({ label, key, got }).toEqual({ label, key, got: n });
        compared++;
      }
      const dsnRows = inside.filter((r) => ['b', 'rb', 't'].includes(r.type));
      for (const [code, n] of Object.entries(tally(dsnRows, (r) => dsnCode(r.dsn_status)))) {
        const got = await getInsightTotal(f, { kind: 'dsn', types: ['b', 'rb', 't'], value: code });
        expect({ label, code, got }).toEqual({ label, code, got: n });
        compared++;
      }
      const queued = inside.filter((r) => r.type === 'tq' && r.queue);
      for (const [queue, n] of Object.entries(tally(queued, (r) => r.queue ?? ''))) {
        const got = await getInsightTotal(f, { kind: 'reason', types: ['tq'], queue });
        expect({ label, queue, got }).toEqual({ label, queue, got: n });
        queues++;
      }
    }
    expect(compared).toBeGreaterThan(500);
    expect(queues).toBeGreaterThan(20);
    // A filter the insight rollups do not carry: no total rather than a wrong one.
    const byJob = parseFilters(new URLSearchParams(`${windows()[0]}&job=job-1`));
    expect(await getInsightTotal(byJob, { kind: 'reason', types: REASON_TYPES, value: '' })).toBeNull();
  });
});

describe('insight views', () => {
  const w = windows()[0];
  const views = (f: Filters) => [
    () => getReasons(f, { limit: 5 }),
    () => getReasonSeries(f, [''], 'minute', 'UTC'),
    () => getLatency(f, 'minute', 'UTC'),
    () => getLatencyBreakdown(f, 'provider', 5),
    () => getDsnCodes(f, 5),
  ];

  it('refuse filters the insight rollups do not carry, naming the parameter', async () => {
    for (const param of ['sourceIp', 'job', 'bounceCategory', 'source']) {
      for (const view of views(parseFilters(new URLSearchParams(`${w}&${param}=x`)))) {
        await expect(view()).rejects.toMatchObject({
          param,
          message: `${param} is not available for reasons/latency/DSN views`,
        });
      }
    }
  });

  it('refuse bounds that are not on a whole minute', async () => {
    const cases = [
      ['from', 'from=2026-01-10T10:00:30Z&to=2026-01-10T11:00:00Z'],
      ['to', 'from=2026-01-10T10:00:00Z&to=2026-01-10T10:59:59.500Z'],
    ] as const;
    for (const [param, range] of cases) {
      for (const view of views(parseFilters(new URLSearchParams(range)))) {
        await expect(view()).rejects.toMatchObject({
          param,
          message: `${param} must be on a whole minute for this view`,
        });
      }
    }
  });

  it('keep every answer when the worker compacts the insight rollups', async () => {
    // The --once ingest ended compacted: split counts into rows of other batches (same sums) so
    // that there is something to fold.
    for (const t of ['rollup_insight_minute', 'rollup_insight_hour'])
      await db.query(
        `WITH s AS (UPDATE ${t} SET n = n - 1 WHERE n >= 2 RETURNING bucket, dim_id, file_id)
         INSERT INTO ${t} (bucket, dim_id, file_id, batch_offset, n)
         SELECT bucket, dim_id, file_id, 1000000000 + row_number() OVER (), 1 FROM s`,
      );
    const f = parseFilters(new URLSearchParams(windows()[3]));
    const before = [
      await getReasons(f, { limit: 1000 }),
      await getLatency(f, 'hour', 'UTC'),
      await getDsnCodes(f, 1000),
    ];
    const count = async () =>
      Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM rollup_insight_hour'))[0].n);
    const rowsBefore = await count();
    const pool = new pg.Pool({ connectionString: db.url, max: 1 });
    try {
      for (const table of ROLLUP_TABLES) await compactRollups(pool, table, new Date(0));
    } finally {
      await pool.end();
    }
    expect(await count()).toBeLessThan(rowsBefore);
    const after = [
      await getReasons(f, { limit: 1000 }),
      await getLatency(f, 'hour', 'UTC'),
      await getDsnCodes(f, 1000),
    ];
    expect(after).toEqual(before);
  });
});
