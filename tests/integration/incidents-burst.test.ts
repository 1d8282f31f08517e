import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { incidentFigureLinks } from '../../lib/incidents/figure-links.ts';
import { groupIncidents } from '../../lib/incidents/group.ts';
import { IncidentMonitor, type shapeIncident } from '../../lib/incidents/monitor.ts';
import { CLOSE_RATIO } from '../../lib/incidents/rules.ts';
import { getPoolsOfVmtas } from '../../lib/queries/get-incidents.ts';
import { countRecords, parseRecordQuery } from '../../lib/queries/get-records.ts';
import type { TestDatabase } from '../db.ts';
import { apiGet, silentLogger } from '../helpers.ts';
import { BURST, END, HOUR, loadTraffic, RULES, WINDOW_MINUTES } from '../incident-traffic.ts';

// A deferral wave of Yahoo × pool-b is found in one evaluation cycle, with its start, evidence,
// records and webhook notifications, and closes itself once the rate is normal again.

interface Incident {
  id: number;
  slice: { kind: string; provider: string; sender: string };
  metric: string;
  startedAt: string;
  resolvedAt: string | null;
  currentRate: number;
  baselineRate: number;
  threshold: number;
  windowMinutes: number | null;
  events: number;
  evidence: { template: string; sample: string; count: number; of: number } | null;
}

let db: TestDatabase;
let hook: Server;
const received: { event: string; incident: { id: number; status: string } }[] = [];
let failNext = true;

beforeAll(async () => {
  db = await loadTraffic(true);
  hook = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      // The first delivery fails: the monitor must retry it.
      if (failNext) {
        failNext = false;
        res.writeHead(503).end();
        return;
      }
      received.push(JSON.parse(body));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
}, 180_000);

afterAll(async () => {
  await db?.drop();
  hook?.close();
});

const open = async (): Promise<Incident[]> => (await apiGet('/api/v1/incidents?status=open')).body.incidents;

it('finds the wave in one cycle, keeps it current, and closes it when it is over', async () => {
  const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
  const monitor = new IncidentMonitor({
    logger: silentLogger,
    windowMinutes: WINDOW_MINUTES,
    rules: RULES,
    webhookUrls: [hookUrl],
  });
  // Quiet before the wave.
  expect((await monitor.evaluate(new Date(BURST.start - 30 * 60_000))).opened).toEqual([]);

  const during = new Date(BURST.end - 10 * 60_000);
  const first = await monitor.evaluate(during);
  expect(first.opened.length).toBeGreaterThanOrEqual(1);
  const incidents = await open();
  const keys = incidents.map((i) => `${i.slice.kind}:${i.slice.provider}:${i.slice.sender}:${i.metric}`);
  expect(keys).toContain('pool:Yahoo:pool-b:deferral');
  // Nothing outside the wave's provider × pool (its VirtualMTAs may be named too).
  for (const k of keys) expect(k).toMatch(/^(pool:Yahoo:pool-b|vmta:Yahoo:[^:]+):deferral$/);
  const incident = incidents.find((i) => i.slice.kind === 'pool') as Incident;
  expect(Date.parse(incident.startedAt)).toBeGreaterThanOrEqual(BURST.start);
  expect(Date.parse(incident.startedAt)).toBeLessThanOrEqual(BURST.start + 5 * 60_000);
  expect(incident.currentRate).toBeGreaterThan(0.5);
  // The card names the window the rates were judged over.
  expect(incident.windowMinutes).toBe(WINDOW_MINUTES);
  expect(incident.baselineRate).toBeLessThan(0.25);
  // The evidence: the reason most of the wave's deferrals give, annotated when known.
  expect(incident.evidence?.count).toBeGreaterThan(0);
  expect((incident.evidence?.count ?? 0) / (incident.evidence?.of ?? 1)).toBeGreaterThan(0.5);
  expect(incident.evidence?.template).toMatch(/\S/);
  // Its full line is one the incident's own slice gave in the window (a template's stored sample is
  // its first line of any slice, and Gmail's and Yahoo's name the sending IP or host).
  for (const i of incidents) {
    const [{ n }] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM acct_record
        WHERE provider = 'Yahoo' AND type = 't' AND dsn_diag = $1 AND time_logged >= $2 AND time_logged < $3
          AND (CASE WHEN $4 = 'pool' THEN vmta_pool ELSE vmta END) = $5`,
      [i.evidence?.sample, i.startedAt, during, i.slice.kind, i.slice.sender],
    );
    expect(n, `${i.slice.kind} ${i.slice.sender}: ${i.evidence?.sample}`).toBeGreaterThan(0);
  }
  // The screen shows the wave as one card: its VirtualMTAs' incidents inside the pool's.
  const vmtas = incidents.filter((i) => i.slice.kind === 'vmta').map((i) => i.slice.sender);
  const groups = groupIncidents(
    incidents as unknown as ReturnType<typeof shapeIncident>[],
    await getPoolsOfVmtas(vmtas),
  );
  expect(groups.map((g) => [g.lead.id, g.members.length])).toEqual([[incident.id, vmtas.length]]);

  // The list narrowed (tests/integration/incidents-list.test.ts covers every filter).
  const ids = async (q: string) =>
    ((await apiGet(`/api/v1/incidents?status=open&${q}`)).body.incidents as Incident[])
      .map((i) => i.id)
      .sort();
  const all = incidents.map((i) => i.id).sort();
  expect(await ids('provider=Yahoo')).toEqual(all);
  expect(await ids('provider=Google,Microsoft')).toEqual([]);
  expect(await ids('pool=pool-b&metric=deferral')).toEqual([incident.id]);
  expect(await ids('metric=bounce')).toEqual([]);

  // A second cycle updates the open incident instead of opening another.
  const next = new Date(during.getTime() + 60_000);
  const again = await monitor.evaluate(next);
  expect(again.opened).toEqual([]);
  expect(again.updated).toContain(incident.id);

  // The records behind it: exactly its deferral count in the window judged.
  const from = new Date(next.getTime() - WINDOW_MINUTES * 60_000).toISOString();
  const records = await apiGet(
    `/api/v1/records?type=t&provider=Yahoo&pool=pool-b&from=${from}&to=${next.toISOString()}&limit=500`,
  );
  const updated = (await open()).find((i) => i.id === incident.id) as Incident;
  expect(records.body.records.length).toBe(updated.events);
  // Every count of every card opens exactly the records it counts, as the incident stands after the
  // update (its window moved with it): the rate's events and volume, the evidence's two counts.
  for (const i of (await open()) as unknown as ReturnType<typeof shapeIncident>[]) {
    const links = incidentFigureLinks(i, 'UTC');
    const evidence = i.evidence && !('kind' in i.evidence) ? i.evidence : null;
    for (const [link, n] of [
      [links.events, i.events],
      [links.volume, i.volume],
      [links.evidenceOf, evidence?.of],
      [links.evidenceCount, evidence?.count],
    ] as const) {
      if (!link) throw new Error(`incident ${i.id}: a figure without its link`);
      const query = parseRecordQuery(new URLSearchParams(link.href.split('?')[1]), 50);
      expect(await countRecords(query), link.label).toBe(n);
    }
  }

  const after = new Date(END.getTime() - HOUR);
  expect((await monitor.evaluate(after)).resolved).toContain(incident.id);
  expect(await open()).toEqual([]);
  const resolved: Incident[] = (await apiGet('/api/v1/incidents?status=resolved&since=2026-03-01T00:00:00Z'))
    .body.incidents;
  expect(resolved.find((i) => i.id === incident.id)?.resolvedAt).toBe(after.toISOString());

  await monitor.stop();
  const events = received.filter((r) => r.incident.id === incident.id).map((r) => r.event);
  expect(events).toEqual(['incident.opened', 'incident.resolved']);
}, 90_000);

it('closes an incident under 80 % of the threshold it opened at, the one its card shows', async () => {
  // The baseline is the 7 days before the window: once the wave's first minutes leave the window
  // they raise it, and with it the threshold. The demo's Gmail × pool-b incident closed at 39.77 %
  // while its card said "threshold 46.99 %" (over 80 % of it, 37.59 %), QA.
  const monitor = new IncidentMonitor({ logger: silentLogger, windowMinutes: WINDOW_MINUTES, rules: RULES });
  await monitor.evaluate(new Date(BURST.end - 10 * 60_000));
  const pool = (await open()).find((i) => i.slice.kind === 'pool') as Incident;
  const all = async (): Promise<Incident[]> =>
    (await apiGet('/api/v1/incidents?since=2026-03-01T00:00:00Z')).body.incidents;
  let closed: Incident | undefined;
  for (let t = BURST.end - 9 * 60_000; !closed && t < END.getTime(); t += 60_000) {
    await monitor.evaluate(new Date(t));
    const now = (await all()).find((i) => i.id === pool.id) as Incident;
    expect(now.threshold).toBe(pool.threshold);
    if (now.resolvedAt) closed = now;
    else
      expect(now.currentRate, new Date(t).toISOString()).toBeGreaterThanOrEqual(CLOSE_RATIO * now.threshold);
  }
  expect(closed?.currentRate).toBeLessThan(CLOSE_RATIO * pool.threshold);
  await monitor.stop();
  // Its VirtualMTAs' incidents of the wave closed too, each under its own.
  for (const i of await all()) {
    if (i.slice.kind === 'vmta' && i.resolvedAt)
      expect(i.currentRate).toBeLessThan(CLOSE_RATIO * i.threshold);
  }
}, 120_000);

it('does not open on a wave that is over, though the window still holds it', async () => {
  // Half an hour after the wave (its retries are deferred for a while after it): the hour's window
  // still holds half the wave and its rate is over the threshold; its last five minutes are
  // normal. Found in QA: bounce incidents opened during the recovery.
  const after = new Date(BURST.end + 30 * 60_000);
  const monitor = new IncidentMonitor({ logger: silentLogger, windowMinutes: WINDOW_MINUTES, rules: RULES });
  expect((await monitor.evaluate(after)).opened).toEqual([]);
  // The window alone would have opened it.
  const windowOnly = new IncidentMonitor({
    logger: silentLogger,
    windowMinutes: WINDOW_MINUTES,
    rules: RULES,
    tailMinutes: 0,
  });
  const opened = (await windowOnly.evaluate(after)).opened;
  expect(opened.length).toBeGreaterThan(0);
  expect(await open()).toContainEqual(
    expect.objectContaining({ slice: expect.objectContaining({ sender: 'pool-b' }) }),
  );
}, 60_000);

it('answers bad parameters with 400', async () => {
  const { status, body } = await apiGet('/api/v1/incidents?status=closed');
  expect(status).toBe(400);
  expect(body.error.param).toBe('status');
});
