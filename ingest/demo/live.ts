import { mkdir } from 'node:fs/promises';
import { createWriters } from './acct-writers.ts';
import { createTimeFormatter } from './csv.ts';
import { planBurst, planEpisode } from './incidents.ts';
import type { PendingRows } from './pending-rows.ts';
import { Prng } from './prng.ts';
import type { PendingRow } from './row-heap.ts';
import { type Layout, Simulator } from './simulator.ts';
import { buildWorld, DEFAULT_WORLD, IncidentIndex } from './world.ts';

export interface LiveOptions {
  out: string;
  /** Messages per second (default 20); each is logged as ~2 records (receipt, attempts, complaint). */
  ratePerSecond?: number;
  seed?: number;
  layout?: 'full' | 'simple';
  signal?: AbortSignal;
  /** Says when the machine cannot produce the rate (default console.warn). */
  warn?: (message: string) => void;
}

const TICK_MS = 250;
/**
 * The most traffic one step injects: a step that comes later (the previous one overran, the
 * process was paused) makes the last 2 s of messages and skips the rest. Without it a generator
 * slower than its rate fell further behind at every step, each step making all the traffic since
 * the last one in memory before writing any of it: at --rate 12000 on 2 cores, steps of 10-20 s,
 * no line written for 20 s at a time and RSS growing past 870 MB within a minute (2.7 GB seen).
 */
export const MAX_STEP_MS = 2_000;
/** How often a generator that is skipping traffic says so. */
const WARN_EVERY_MS = 10_000;
/** Mean time between live deferral bursts, so a demo shows one every few minutes. */
const BURST_EVERY_MS = 4 * 60_000;
/**
 * Mean time between live deferral episodes (one provider × pool for 15–25 minutes), long enough
 * for the incident monitor to judge where the slice carries the volume it needs (Gmail on any
 * pool did at the demo's rate; a small provider on a small pool may not). The bursts never do.
 */
const EPISODE_EVERY_MS = 45 * 60_000;
/**
 * The first episode, Gmail deferring the first bulk pool (pool-b, the busiest: transactional jobs
 * use the first pool, bulk ones the others in turn), starts this long after the generator: a new
 * demo shows an open incident within its first minutes (the backfill's planned incidents are
 * history, which the monitor does not replay).
 */
const FIRST_EPISODE_AFTER_MS = 60_000;

export interface LiveSimulationOptions {
  ratePerSecond: number;
  seed: number;
  layout: Layout;
  /** The clock at the start (epoch ms). */
  start: number;
  /** Where planned rows wait; tests pass one that never spills to compare against. */
  pending?: PendingRows;
}

/** The live generator without its timer or files: `advance` moves it to a clock it is given. */
export interface LiveSimulation {
  readonly sim: Simulator;
  /** Injects the messages of (last clock, now] and hands over the rows due by `now`, in order. */
  advance(now: number, emit: (row: PendingRow) => void): void;
  /** Messages not injected because a step came more than MAX_STEP_MS after the one before. */
  readonly skipped: number;
  /**
   * What to tell the user at `now` when messages were skipped since the last report, at most
   * once per WARN_EVERY_MS; null otherwise.
   */
  shortfall(now: number): string | null;
  /** Drops the rows still to come and their spill files. */
  dispose(): void;
}

/**
 * Split from the timer so a test can drive hours of traffic through the same steps on a fake
 * clock, which is how the pending rows' memory at a high rate was measured.
 */
export function createLiveSimulation(opts: LiveSimulationOptions): LiveSimulation {
  const { ratePerSecond: rate, seed, layout } = opts;
  if (!(rate > 0)) throw new Error(`ratePerSecond must be > 0 (got ${rate})`);
  const world = buildWorld({ seed, ...DEFAULT_WORLD });
  const incidents = new IncidentIndex();
  const rng = new Prng(seed);
  const envIdTag = `-${Math.floor(opts.start / 1000).toString(36)}`;
  const sim = new Simulator(
    world,
    incidents,
    rng,
    layout,
    Number.POSITIVE_INFINITY,
    createTimeFormatter(0),
    envIdTag,
    opts.pending,
  );

  let last = opts.start;
  const firstPool = world.pools[1] ?? world.pools[0];
  for (const incident of planEpisode(last + FIRST_EPISODE_AFTER_MS, 'google', [firstPool], rng)) {
    incidents.add(incident);
  }
  let carry = 0;
  let made = 0;
  let skipped = 0;
  let reported = { at: opts.start, made: 0, skipped: 0 };

  function advance(now: number, emit: (row: PendingRow) => void): void {
    const span = Math.max(0, now - last);
    // Messages arrive over (from, now]; those of (last, from] are never made (see MAX_STEP_MS).
    const from = Math.max(last, now - MAX_STEP_MS);
    skipped += Math.round((rate * (from - last)) / 1000);
    const expected = (rate * (now - from)) / 1000 + carry;
    const count = Math.floor(expected);
    carry = expected - count;
    made += count;
    if (rng.chance(span / BURST_EVERY_MS)) incidents.add(planBurst(now, world.pools, rng));
    if (rng.chance(span / EPISODE_EVERY_MS)) {
      for (const incident of planEpisode(now, null, [rng.pick(world.pools)], rng)) incidents.add(incident);
    }
    // Spread this tick's arrivals over (from, now] so timestamps are not all identical.
    for (let i = 0; i < count; i++) sim.spawn(from + ((i + rng.next()) * (now - from)) / count);
    sim.pending.advanceTo(now);
    while (sim.pending.peekTime() <= now) {
      const row = sim.pending.pop();
      if (!row) break;
      emit(row);
    }
    incidents.prune(now);
    last = now;
  }

  function shortfall(now: number): string | null {
    if (now - reported.at < WARN_EVERY_MS) return null;
    const since = reported;
    reported = { at: now, made, skipped };
    if (skipped === since.skipped) return null;
    const seconds = (now - since.at) / 1000;
    const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
    return `live generator cannot keep up with ${fmt(rate)} messages/s: it made ${fmt(made - since.made)} messages in the last ${fmt(seconds)} s (${fmt((made - since.made) / seconds)}/s) and skipped ${fmt(skipped - since.skipped)}`;
  }

  return {
    sim,
    advance,
    get skipped() {
      return skipped;
    },
    shortfall,
    dispose: () => sim.pending.dispose(),
  };
}

/**
 * Appends records stamped with the current time to today's files in `out`, flushing every tick
 * so a tailer sees them promptly. Each flush writes whole lines only.
 */
export function startLiveGenerator(opts: LiveOptions): { stop(): Promise<void> } {
  const warn = opts.warn ?? console.warn;
  const live = createLiveSimulation({
    ratePerSecond: opts.ratePerSecond ?? 20,
    seed: opts.seed ?? Date.now() % 2 ** 31,
    layout: opts.layout ?? 'full',
    start: Date.now(),
  });
  const writers = createWriters(opts.out, opts.layout ?? 'full', '\n', { append: true });
  const ready = mkdir(opts.out, { recursive: true });
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();

  async function tick(): Promise<void> {
    await ready;
    const now = Date.now();
    live.advance(now, (row) => writers.get(row.kind)?.append(row.time, row.line));
    for (const writer of writers.values()) await writer.flush();
    const warning = live.shortfall(now);
    if (warning) warn(warning);
  }

  // Steps start TICK_MS apart, or at once when one took longer: the time a step takes is not
  // added to the next one's span.
  function schedule(startedAt: number): void {
    if (stopped) return;
    timer = setTimeout(
      () => {
        const at = Date.now();
        running = tick().then(
          () => schedule(at),
          (error: unknown) => {
            stopped = true;
            live.dispose();
            console.error('live generator stopped:', error);
          },
        );
      },
      Math.max(0, startedAt + TICK_MS - Date.now()),
    );
  }

  let stopping: Promise<void> | null = null;
  function stop(): Promise<void> {
    stopping ??= (async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
      for (const writer of writers.values()) await writer.close();
      live.dispose();
    })();
    return stopping;
  }

  opts.signal?.addEventListener('abort', () => void stop(), { once: true });
  schedule(Date.now());
  return { stop };
}
