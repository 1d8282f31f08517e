import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prng } from '../../ingest/demo/prng.ts';
import type { Counts } from '../../lib/acct/types.ts';
import { getPrisma } from '../../lib/db/client.ts';
import { FILTER_PARAMS, type FilterParam, type Filters, windowOnly } from '../../lib/filters.ts';
import { Prisma } from '../../lib/generated/prisma/client.ts';
import type { Bucket } from '../../lib/queries/buckets.ts';
import { IP_VMTA_SELECT } from '../../lib/queries/count-query.ts';
import { addCount, emptyCounts } from '../../lib/queries/counts.ts';
import { getBreakdown } from '../../lib/queries/get-breakdown.ts';
import { getSummary } from '../../lib/queries/get-summary.ts';
import { getTimeseries } from '../../lib/queries/get-timeseries.ts';
import { rawFilterConditions } from '../../lib/queries/raw-filters.ts';
import { createTestDatabase, type TestDatabase } from '../db.ts';
import { fixturesAndGenerated, ingestOnce } from '../helpers.ts';

// Every count the stats give must be the count of the raw records behind it. Seeded random
// windows (edges at millisecond, second, minute, hour and day precision; spans from seconds to
// days), random filters on one or two dimensions, breakdowns by every dimension and time series in
// several zones, each checked against the raw rows the records explorer lists for the same filters
// (rawFilterConditions, complaints matched to VirtualMTAs and pools through their sending IP).
// The stats read rollups (star, slice, minute, hour, day, month) and raw rows only at sub-minute
// edges, so this compares two independent paths to the same numbers.

// Three days that end after Europe's switch from summer time (2026-10-25).
const GEN_END = Date.parse('2026-10-27T00:00:00Z');
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const CASES = 240;

let db: TestDatabase;
let values: Record<FilterParam, string[]>;

beforeAll(async () => {
  db = await createTestDatabase();
  process.env.DATABASE_URL = db.url;
  const dirs = await fixturesAndGenerated('acct-exact-', {
    records: 20000,
    days: 3,
    end: new Date(GEN_END),
    seed: 21,
  });
  // Complaints whose sending IP no VirtualMTA used (or that name none): they count under
  // VirtualMTA and pool "(none)".
  writeFileSync(
    path.join(dirs[0], 'acct-fbl-2026-10-26-unmapped.csv'),
    [
      'type,timeLogged,rcpt,dlvSourceIp,feedbackType,header_X-Job',
      'f,2026-10-26 09:10:00+0000,someone@gmail.com,192.0.2.99,abuse,job-x',
      'f,2026-10-26 09:11:00+0000,other@yahoo.com,,abuse,',
      '',
    ].join('\n'),
  );
  // Small batches, as live tailing writes them: many rollup rows per key, folded at the end.
  await ingestOnce(db.url, dirs, { chunkBytes: 16 << 10, batchBytes: 64 << 10 });
  const rows = await db.query<{ k: string; v: string[] }>(
    `SELECT 'domain' AS k, array_agg(DISTINCT rcpt_domain) AS v FROM acct_record
     UNION ALL SELECT 'provider', array_agg(DISTINCT provider) FROM acct_record
     UNION ALL SELECT 'vmta', array_agg(DISTINCT vmta) FROM acct_record WHERE vmta IS NOT NULL
     UNION ALL SELECT 'pool', array_agg(DISTINCT vmta_pool) FROM acct_record WHERE vmta_pool IS NOT NULL
     UNION ALL SELECT 'sourceIp', array_agg(DISTINCT dlv_source_ip) FROM acct_record WHERE dlv_source_ip IS NOT NULL
     UNION ALL SELECT 'job', array_agg(DISTINCT job_id) FROM acct_record WHERE job_id IS NOT NULL
     UNION ALL SELECT 'bounceCategory', array_agg(DISTINCT bounce_cat) FROM acct_record WHERE bounce_cat IS NOT NULL
     UNION ALL SELECT 'source', array_agg(DISTINCT source) FROM acct_record`,
  );
  values = Object.fromEntries(rows.map((r) => [r.k, r.v.sort()])) as Record<FilterParam, string[]>;
  samples = await db.query<Sample>(
    `SELECT rcpt_domain AS domain, provider, vmta, vmta_pool AS pool, dlv_source_ip AS "sourceIp",
            job_id AS job, bounce_cat AS "bounceCategory", source
       FROM acct_record ORDER BY time_logged, file_id, byte_offset`,
  );
}, 180_000);

afterAll(async () => {
  await db?.drop();
});

/**
 * The raw rows' key of a dimension, complaints through their sending IP for vmta and pool. A pool's
 * name logged as the VirtualMTA (a received record injected into a pool) is no VirtualMTA.
 */
const RAW_KEY: Record<FilterParam, string> = {
  domain: 'r.rcpt_domain',
  provider: 'r.provider',
  vmta: `CASE WHEN r.type = 'f' THEN COALESCE(m.vmta, '') ELSE COALESCE(NULLIF(r.vmta, r.vmta_pool), '') END`,
  pool: `CASE WHEN r.type = 'f' THEN COALESCE(m.vmta_pool, '') ELSE COALESCE(r.vmta_pool, '') END`,
  sourceIp: `COALESCE(r.dlv_source_ip, '')`,
  job: `COALESCE(r.job_id, '')`,
  bounceCategory: `COALESCE(r.bounce_cat, '')`,
  source: 'r.source',
};

/** Counts of the raw rows the records explorer lists for `filters`, per `key` (SQL over r). */
async function rawCounts(filters: Filters, key = `''`): Promise<Map<string, Counts>> {
  const rows = await getPrisma().$queryRaw<{ k: string; type: string; n: number }[]>(
    Prisma.sql`SELECT ${Prisma.raw(key)} AS k, r.type, count(*)::int AS n
      FROM acct_record r LEFT JOIN (${IP_VMTA_SELECT}) m ON m.source_ip = r.dlv_source_ip
     WHERE ${Prisma.join(await rawFilterConditions(filters, getPrisma()), ' AND ')}
     GROUP BY 1, 2`,
  );
  const out = new Map<string, Counts>();
  for (const r of rows) {
    const c = out.get(r.k) ?? emptyCounts();
    out.set(r.k, c);
    addCount(c, r.type, r.n);
  }
  return out;
}

const total = (c: Counts) => Object.values(c).reduce((a, b) => a + b, 0);

/** An instant in the data's span, cut to a random precision. */
function instant(rng: Prng, lo: number, hi: number): number {
  const t = Math.floor(rng.between(lo, hi));
  const unit = rng.pick([1, SECOND, MINUTE, HOUR, DAY]);
  return t - (t % unit);
}

interface Case {
  filters: Filters;
  label: string;
}

/** A raw record's dimension values, as a user would pick them from a breakdown. */
type Sample = Record<FilterParam, string | null>;
let samples: Sample[];

function randomCase(rng: Prng): Case {
  const lo = GEN_END - 3.5 * DAY;
  const hi = GEN_END + HOUR;
  let from = instant(rng, lo, hi);
  const span = rng.pick([30 * SECOND, 7 * MINUTE, 2 * HOUR, 20 * HOUR, 2.5 * DAY]);
  let to = instant(rng, from, from + span);
  if (to <= from) to = from + rng.pick([1, 999, MINUTE]);
  if (rng.chance(0.1)) [from, to] = [Date.parse('2026-01-10T10:00:07Z'), Date.parse('2026-01-10T10:59:30Z')];
  // Filter values of one record (most windows hold others like it), or now and then of any value.
  const set: Partial<Record<FilterParam, string[]>> = {};
  const sample = rng.pick(samples);
  const dims = rng.pick([0, 1, 1, 2]);
  for (let i = 0; i < dims; i++) {
    const dim = rng.pick(FILTER_PARAMS);
    set[dim] = [rng.chance(0.8) && sample[dim] !== null ? (sample[dim] as string) : rng.pick(values[dim])];
  }
  const filters = windowOnly(new Date(from), new Date(to), set);
  return {
    filters,
    label: `${new Date(from).toISOString()}..${new Date(to).toISOString()} ${JSON.stringify(set)}`,
  };
}

describe('stats against the raw records, random windows and filters', () => {
  it('ingested records across three days and the fixtures', async () => {
    const [{ n }] = await db.query<{ n: string }>('SELECT count(*) AS n FROM acct_record');
    expect(Number(n)).toBeGreaterThan(20000);
    expect(values.domain.length).toBeGreaterThan(20);
  });

  it('summaries and breakdowns by every dimension equal the raw counts', async () => {
    const rng = new Prng(7);
    let nonEmpty = 0;
    for (let i = 0; i < CASES; i++) {
      const { filters, label } = randomCase(rng);
      const raw = (await rawCounts(filters)).get('') ?? emptyCounts();
      expect((await getSummary(filters)).counts, label).toEqual(raw);
      if (total(raw) > 0) nonEmpty++;
      const by = rng.pick(FILTER_PARAMS);
      const rawBy = await rawCounts(filters, RAW_KEY[by]);
      const { rows } = await getBreakdown(filters, by, 100_000);
      const api = new Map(rows.map((r) => [r.key, r.counts]));
      expect(new Set(api.keys()), `${label} by ${by}`).toEqual(new Set(rawBy.keys()));
      for (const [key, counts] of rawBy) expect(api.get(key), `${label} by ${by} = ${key}`).toEqual(counts);
    }
    // The cases must mostly hold records, or they would prove little.
    expect(nonEmpty).toBeGreaterThan(CASES / 2);
  }, 120_000);

  it('the "(none)" value of a filter (\'\') selects exactly the records without that field', async () => {
    // The oracle: each raw row's key (RAW_KEY) compared with '' directly, not the explorer's
    // conditions; the stats (rollups) and the explorer (rawFilterConditions) must both equal it.
    const windows: [number, number][] = [
      [GEN_END - 4 * DAY, GEN_END + DAY],
      [Date.parse('2026-10-25T00:17:03.250Z'), Date.parse('2026-10-26T13:02:00Z')],
      [Date.parse('2026-10-26T09:00:00Z'), Date.parse('2026-10-26T09:45:30Z')],
    ];
    let nonEmpty = 0;
    for (const [from, to] of windows) {
      for (const dim of FILTER_PARAMS) {
        const oracle = emptyCounts();
        const rows = await getPrisma().$queryRaw<{ type: string; n: number }[]>(
          Prisma.sql`SELECT r.type, count(*)::int AS n
            FROM acct_record r LEFT JOIN (${IP_VMTA_SELECT}) m ON m.source_ip = r.dlv_source_ip
           WHERE r.time_logged >= ${new Date(from)} AND r.time_logged < ${new Date(to)}
             AND (${Prisma.raw(RAW_KEY[dim])}) = ''
           GROUP BY 1`,
        );
        for (const r of rows) addCount(oracle, r.type, r.n);
        if (total(oracle) > 0) nonEmpty++;
        const label = `${dim}=(none) ${new Date(from).toISOString()}..${new Date(to).toISOString()}`;
        const filters = windowOnly(new Date(from), new Date(to), { [dim]: [''] });
        expect((await getSummary(filters)).counts, label).toEqual(oracle);
        expect((await rawCounts(filters)).get('') ?? emptyCounts(), `${label} (explorer)`).toEqual(oracle);
        const { rows: byDim } = await getBreakdown(windowOnly(new Date(from), new Date(to)), dim, 100_000);
        expect(byDim.find((r) => r.key === '')?.counts ?? emptyCounts(), `${label} (breakdown row)`).toEqual(
          oracle,
        );
        // With another value beside it: both rows, no more.
        const other = values[dim][0];
        const both = windowOnly(new Date(from), new Date(to), { [dim]: ['', other] });
        const expected = emptyCounts();
        for (const r of byDim.filter((r) => r.key === '' || r.key === other))
          for (const [type, n] of Object.entries(r.counts)) expected[type as keyof Counts] += n;
        expect((await getSummary(both)).counts, `${label} + ${other}`).toEqual(expected);
        expect((await rawCounts(both)).get('') ?? emptyCounts(), `${label} + ${other} (explorer)`).toEqual(
          expected,
        );
      }
    }
    // Received mail has no sending IP or VirtualMTA, JMRP complaints no domain, tq rows no pool…
    expect(nonEmpty).toBeGreaterThan(10);
    // … and the two complaints above: under VirtualMTA and pool "(none)", found by the explorer too.
    const window = windowOnly(new Date('2026-10-26T09:00:00Z'), new Date('2026-10-26T09:45:30Z'), {
      vmta: [''],
    });
    expect((await rawCounts(window)).get('')?.complaints).toBeGreaterThanOrEqual(2);
  }, 120_000);

  it('time series equal the raw counts per bucket, in UTC and in zones with other offsets', async () => {
    const rng = new Prng(11);
    for (let i = 0; i < CASES / 2; i++) {
      const { filters, label } = randomCase(rng);
      const span = filters.to.getTime() - filters.from.getTime();
      const bucket: Bucket =
        span <= 6 * HOUR ? rng.pick(['minute', 'hour'] as const) : rng.pick(['hour', 'day'] as const);
      const tz = rng.pick(['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata']);
      const key = `to_char(date_trunc('${bucket}', r.time_logged, '${tz}') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
      const raw = await rawCounts(filters, key);
      const { points } = await getTimeseries(filters, bucket, tz);
      for (const p of points)
        expect(p.counts, `${label} ${bucket} ${tz} at ${p.t}`).toEqual(raw.get(p.t) ?? emptyCounts());
      const shown = new Set(points.map((p) => p.t));
      for (const t of raw.keys())
        expect(shown.has(t), `${label} ${bucket} ${tz}: bucket ${t} missing`).toBe(true);
    }
  }, 120_000);
});
