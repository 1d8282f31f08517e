import { afterAll, beforeAll, expect, it } from 'vitest';
import { IncidentMonitor } from '../../lib/incidents/monitor.ts';
import { createTestDatabase, type TestDatabase } from '../db.ts';
import { silentLogger, waitFor } from '../helpers.ts';

// Several following workers (one per PowerMTA host) each run a monitor: one judges, the others
// stand by, and one of them takes over when the judge's connection ends. Before, every monitor
// evaluated with its own settings: one reopened what another had just resolved, and each posted
// the same webhooks.

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase('acctscope_monitor_leader');
  process.env.DATABASE_URL = db.url;
}, 60_000);

afterAll(async () => {
  await db?.drop();
});

function counted(monitor: IncidentMonitor) {
  const calls = { n: 0 };
  const evaluate = monitor.evaluate.bind(monitor);
  monitor.evaluate = (at?: Date) => {
    calls.n++;
    return evaluate(at);
  };
  return calls;
}

it('lets one monitor judge at a time, and another take over when it stops', async () => {
  const a = new IncidentMonitor({ logger: silentLogger, intervalMs: 100, leaderLockUrl: db.url });
  const b = new IncidentMonitor({ logger: silentLogger, intervalMs: 100, leaderLockUrl: db.url });
  const ca = counted(a);
  const cb = counted(b);
  a.start();
  await waitFor(
    async () => ca.n,
    (n) => n >= 1,
    10_000,
  );
  b.start();
  // While a judges three more times (0.3 s at its pace; as long as a loaded machine takes), b
  // stands by: a count of passes, not a fixed sleep, which a loaded machine made too short (CI:
  // 2 passes in 1 s).
  const started = ca.n;
  await waitFor(
    async () => ca.n,
    (n) => n >= started + 3,
    20_000,
  );
  expect(cb.n).toBe(0);
  const holders = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_locks
      WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
  );
  expect(holders[0].n).toBe(1);
  await a.stop();
  const before = ca.n;
  await waitFor(
    async () => cb.n,
    (n) => n >= 3,
    10_000,
  );
  expect(ca.n).toBe(before);
  await b.stop();
  const left = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_locks
      WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
  );
  expect(left[0].n).toBe(0);
}, 60_000);
