import type { Prng } from './prng.ts';
import type { Incident } from './world.ts';

const MINUTE = 60_000;
const DAY = 86_400_000;
const INCIDENT_HOSTS = [
  'google',
  'yahoo',
  'microsoft',
  'google',
  'yahoo',
  'microsoft',
  'gmx',
  'orange',
] as const;

/**
 * About three incidents per day, mostly deferral waves (Gmail 4.7.28, Yahoo TSS04, Microsoft
 * 4.7.650) and sometimes a block, so every demo range has a story for the diagnostics views.
 */
export function planIncidents(start: number, end: number, pools: string[], rng: Prng): Incident[] {
  const incidents: Incident[] = [];
  for (let day = Math.floor(start / DAY) * DAY; day < end; day += DAY) {
    const count = 2 + rng.int(3);
    for (let i = 0; i < count; i++) {
      const from = day + rng.int(22 * 60) * MINUTE;
      const block = rng.chance(0.25);
      incidents.push({
        start: from,
        end: from + (block ? 30 + rng.int(60) : 45 + rng.int(120)) * MINUTE,
        host: rng.pick(INCIDENT_HOSTS),
        pool: rng.pick(pools),
        probability: block ? 0.2 + rng.next() * 0.2 : 0.5 + rng.next() * 0.4,
        block,
      });
    }
  }
  return incidents;
}

/** A short live-mode burst: one provider defers most of one pool's traffic for a minute or three. */
export function planBurst(now: number, pools: string[], rng: Prng): Incident {
  return {
    start: now,
    end: now + (60 + rng.int(120)) * 1000,
    host: rng.pick(INCIDENT_HOSTS),
    pool: rng.pick(pools),
    probability: 0.6 + rng.next() * 0.3,
    block: false,
  };
}

/** The hosts with the most traffic, whose provider × pool slices carry enough for the monitor. */
const EPISODE_HOSTS = ['google', 'google', 'microsoft', 'yahoo'] as const;

/**
 * A live deferral episode long enough for the incident monitor to judge (it needs ≥ 100 attempts
 * of a provider × pool in its 30-minute window): one provider defers most of what some pools send
 * for 15–25 minutes; `pools` lists them (one, or all for a provider-wide wave).
 */
export function planEpisode(
  now: number,
  host: Incident['host'] | null,
  pools: string[],
  rng: Prng,
): Incident[] {
  const end = now + (15 + rng.int(11)) * MINUTE;
  const probability = 0.75 + rng.next() * 0.2;
  const h = host ?? rng.pick(EPISODE_HOSTS);
  return pools.map((pool) => ({ start: now, end, host: h, pool, probability, block: false }));
}
