import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { IncidentMonitor } from './monitor.ts';

describe('IncidentMonitor cycles', () => {
  it('never runs two cycles at once: a slow one is not joined by the next tick', async () => {
    const monitor = new IncidentMonitor({ logger: pino({ level: 'silent' }), intervalMs: 10 });
    let running = 0;
    let most = 0;
    let cycles = 0;
    // Leading, with an evaluation that takes 15 ticks (the database answering slowly).
    Object.assign(monitor, {
      lead: async () => true,
      evaluate: async () => {
        running++;
        cycles++;
        most = Math.max(most, running);
        await new Promise((r) => setTimeout(r, 150));
        running--;
      },
    });
    monitor.start();
    await new Promise((r) => setTimeout(r, 500));
    await monitor.stop();
    expect(most).toBe(1);
    expect(cycles).toBeGreaterThanOrEqual(2); // the next cycle starts once one is done
    expect(cycles).toBeLessThanOrEqual(4);
  });
});
