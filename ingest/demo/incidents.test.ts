import { describe, expect, it } from 'vitest';
import { planEpisode } from './incidents.ts';
import { Prng } from './prng.ts';

const MINUTE = 60_000;

describe('planEpisode', () => {
  it('plans a provider-wide deferral wave over every pool given, one window for all', () => {
    const now = Date.UTC(2026, 10, 30, 12);
    const wave = planEpisode(now, 'google', ['pool-a', 'pool-b', 'pool-c'], new Prng(1));
    expect(wave.map((i) => i.pool)).toEqual(['pool-a', 'pool-b', 'pool-c']);
    for (const i of wave) {
      expect(i).toMatchObject({ start: now, end: wave[0].end, host: 'google', block: false });
      expect(i.probability).toBeGreaterThanOrEqual(0.75);
      expect(i.probability).toBeLessThan(0.95);
    }
  });

  it('lasts 15–25 minutes, long enough for the monitor to judge, on a busy provider', () => {
    const rng = new Prng(7);
    for (let n = 0; n < 200; n++) {
      const [episode] = planEpisode(0, null, ['pool-b'], rng);
      expect(episode.end - episode.start).toBeGreaterThanOrEqual(15 * MINUTE);
      expect(episode.end - episode.start).toBeLessThanOrEqual(25 * MINUTE);
      expect(['google', 'microsoft', 'yahoo']).toContain(episode.host);
    }
  });
});
