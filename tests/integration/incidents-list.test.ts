import { afterAll, beforeAll, expect, it } from 'vitest';
import { getOpenIncidents } from '../../lib/queries/get-incidents.ts';
import { createTestDatabase, type TestDatabase } from '../db.ts';
import { apiGet } from '../helpers.ts';

// The incident list's filters (API and screen share parseIncidentQuery/getIncidents): provider,
// slice (VirtualMTAs and pools: an incident matches when its slice is any one named), metric,
// status and since, on incidents written as the monitor writes them.

let db: TestDatabase;
const NOW = Date.now();
const ago = (minutes: number) => new Date(NOW - minutes * 60_000).toISOString();

// [id, kind, provider, sender, metric, started (min ago), resolved (min ago) | null]
const INCIDENTS: [number, string, string, string, string, number, number | null][] = [
  [1, 'pool', 'Yahoo', 'pool-b', 'deferral', 120, null],
  [2, 'vmta', 'Yahoo', 'mta-b1', 'deferral', 118, null],
  [3, 'vmta', 'Google', 'mta-b1', 'bounce', 300, 200],
  [4, 'pool', 'Microsoft', 'pool-a', 'complaint', 60, null],
  [5, 'pool', 'Yahoo', 'pool,c', 'deferral', 30, 10],
  // Resolved 9 days ago: outside the default 7 days.
  [6, 'vmta', 'Yahoo', 'mta-b1', 'deferral', 13_000, 12_960],
];

beforeAll(async () => {
  db = await createTestDatabase('acctscope_incident_list');
  process.env.DATABASE_URL = db.url;
  for (const [id, kind, provider, sender, metric, started, resolved] of INCIDENTS) {
    await db.query(
      `INSERT INTO incident (id, slice_kind, provider, sender, metric, baseline_rate, current_rate, peak_rate,
         threshold, events, volume, started_at, detected_at, evaluated_at, resolved_at)
       VALUES ($1, $2, $3, $4, $5, 0.01, 0.4, 0.5, 0.1, 40, 100, $6, $6, $6, $7)`,
      [id, kind, provider, sender, metric, ago(started), resolved === null ? null : ago(resolved)],
    );
  }
}, 60_000);

afterAll(async () => {
  await db?.drop();
});

async function ids(query: string): Promise<number[]> {
  const { status, body } = await apiGet(`/api/v1/incidents?${query}`);
  expect(status, query).toBe(200);
  return (body.incidents as { id: number }[]).map((i) => i.id).sort((a, b) => a - b);
}

it('narrows the list by provider, slice and metric, with status and since', async () => {
  expect(await ids('')).toEqual([1, 2, 3, 4, 5]);
  expect(await ids(`since=${ago(20_000)}`)).toEqual([1, 2, 3, 4, 5, 6]);
  expect(await ids('status=open')).toEqual([1, 2, 4]);
  expect(await ids('provider=Yahoo')).toEqual([1, 2, 5]);
  expect(await ids('provider=Yahoo&provider=Microsoft')).toEqual([1, 2, 4, 5]);
  expect(await ids('provider=Yahoo,Microsoft&status=resolved')).toEqual([5]);
  // A VirtualMTA name matches VirtualMTA slices only, a pool name pool slices only.
  expect(await ids('vmta=mta-b1')).toEqual([2, 3]);
  expect(await ids('pool=mta-b1')).toEqual([]);
  expect(await ids('vmta=mta-b1&pool=pool-b')).toEqual([1, 2, 3]);
  expect(await ids('vmta=mta-b1&pool=pool-b&provider=Yahoo')).toEqual([1, 2]);
  // A name holding a comma is written in quotes, as in every filter.
  expect(await ids('pool="pool,c"')).toEqual([5]);
  expect(await ids('pool=pool,c')).toEqual([]);
  expect(await ids('metric=complaint')).toEqual([4]);
  expect(await ids('metric=deferral&vmta=mta-b1')).toEqual([2]);
  expect(await ids('provider=Apple')).toEqual([]);
});

it('says how many incidents match in all, beyond the limit', async () => {
  // A full page gave no sign that more existed (QA).
  const page = async (query: string) => {
    const { status, body } = await apiGet(`/api/v1/incidents?${query}`);
    expect(status, query).toBe(200);
    return { ids: (body.incidents as { id: number }[]).map((i) => i.id), total: body.totalIncidents };
  };
  // Open first (latest started first), then resolved.
  expect(await page('limit=2')).toEqual({ ids: [4, 2], total: 5 });
  expect(await page('limit=5')).toEqual({ ids: [4, 2, 1, 5, 3], total: 5 });
  expect(await page('limit=1&provider=Yahoo')).toEqual({ ids: [2], total: 3 });
  expect(await page('limit=1&status=resolved')).toEqual({ ids: [5], total: 2 });
  expect(await page('provider=Apple')).toEqual({ ids: [], total: 0 });
});

it('answers bad filter values with 400 naming the parameter', async () => {
  for (const [q, param] of [
    ['metric=latency', 'metric'],
    ['metric=bounce&metric=deferral', 'metric'],
    ['domain=yahoo.com', 'domain'],
    ['provider=a%00b', 'provider'],
    ['vmta="unclosed', 'vmta'],
  ]) {
    const { status, body } = await apiGet(`/api/v1/incidents?${q}`);
    expect(status, q).toBe(400);
    expect(body.error.param, q).toBe(param);
  }
});

it("counts every open incident for the overview's banner, however many, and names pools first", async () => {
  // 25 more open VirtualMTA incidents, all started after the pools': the banner read its count off
  // a list of 20 and said "20 open incidents" with 31 open (QA).
  for (let i = 0; i < 25; i++) {
    await db.query(
      `INSERT INTO incident (id, slice_kind, provider, sender, metric, current_rate, peak_rate, threshold,
         events, volume, started_at, detected_at, evaluated_at)
       VALUES ($1, 'vmta', 'Google', $2, 'deferral', 0.4, 0.5, 0.1, 40, 100, $3, $3, $3)`,
      [100 + i, `vmta${i}`, ago(5 + i)],
    );
  }
  try {
    const { count, named } = await getOpenIncidents(3);
    expect(count).toBe(28);
    // Open pools (4 started 60 min ago, 1 120 min ago), then the latest started VirtualMTA's.
    expect(named.map((i) => i.id)).toEqual([4, 1, 100]);
  } finally {
    await db.query('DELETE FROM incident WHERE id >= 100');
  }
});
