import { afterAll, beforeAll, expect, it } from 'vitest';
import { IncidentMonitor } from '../../lib/incidents/monitor.ts';
import { judge, METRICS } from '../../lib/incidents/rules.ts';
import { getSliceCounts } from '../../lib/queries/get-slice-counts.ts';
import type { TestDatabase } from '../db.ts';
import { apiGet, silentLogger } from '../helpers.ts';
import { END, HOUR, loadTraffic, RULES, WINDOW_MINUTES } from '../incident-traffic.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await loadTraffic(false);
}, 180_000);
afterAll(async () => {
  await db?.drop();
});

it('raises no incident on steady generated traffic, having judged enough slices to mean it', async () => {
  const monitor = new IncidentMonitor({ logger: silentLogger, windowMinutes: WINDOW_MINUTES, rules: RULES });
  let judged = 0;
  // Every 2 hours over the last day, busy and quiet hours alike.
  for (let at = END.getTime() - 24 * HOUR; at <= END.getTime(); at += 2 * HOUR) {
    const result = await monitor.evaluate(new Date(at));
    const { body } = await apiGet('/api/v1/incidents?status=all');
    expect(result.opened, JSON.stringify(body.incidents)).toEqual([]);
    const recent = await getSliceCounts(new Date(at - WINDOW_MINUTES * 60_000), new Date(at));
    for (const s of recent.values()) {
      for (const m of METRICS) if (!judge(m, s.counts, s.counts, RULES[m]).undecided) judged++;
    }
  }
  expect(judged).toBeGreaterThanOrEqual(50);
  expect((await apiGet('/api/v1/incidents')).body.incidents).toEqual([]);
}, 60_000);
