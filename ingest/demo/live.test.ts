import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateFiles, startLiveGenerator } from './generator.ts';
import { createLiveSimulation, MAX_STEP_MS } from './live.ts';
import { PendingRows } from './pending-rows.ts';
import { parseAcctTime, readAcctFiles } from './read-acct-files.ts';
import { DEFAULT_COLUMNS, MAIN_COLUMNS } from './rows.ts';

const root = mkdtempSync(join(tmpdir(), 'acct-live-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

describe('startLiveGenerator', () => {
  it('appends complete, time-stamped lines to today files while running', async () => {
    const out = join(root, 'live');
    const started = Date.now();
    const live = startLiveGenerator({ out, ratePerSecond: 400, seed: 5 });
    const mainFile = join(out, `acct-${today()}-0000.csv`);
    const sizes: number[] = [];
    for (let i = 0; i < 12; i++) {
      await sleep(150);
      if (!existsSync(mainFile)) continue;
      const text = readFileSync(mainFile, 'utf8');
      sizes.push(text.length);
      // A tailer must never see half a line: every flush ends on a newline.
      if (text.length > 0) expect(text.endsWith('\n')).toBe(true);
    }
    await live.stop();
    expect(sizes.length).toBeGreaterThan(3);
    expect(sizes.at(-1)).toBeGreaterThan(sizes[0]);

    const files = readAcctFiles(out);
    const main = files.find((f) => f.name.startsWith(`acct-${today()}`));
    expect(main?.header).toEqual([...MAIN_COLUMNS]);
    expect(new Set(main?.widths)).toEqual(new Set([MAIN_COLUMNS.length]));
    const rows = files.flatMap((f) => f.rows);
    expect(rows.length).toBeGreaterThan(300);
    let previous = 0;
    for (const row of main?.rows ?? []) {
      const t = parseAcctTime(row.timeLogged);
      expect(t).toBeGreaterThanOrEqual(previous);
      expect(t).toBeGreaterThanOrEqual(started - 1000);
      expect(t).toBeLessThanOrEqual(Date.now());
      previous = t;
    }
    expect(new Set(rows.map((r) => r.type))).toContain('r');
    expect(new Set(rows.map((r) => r.type))).toContain('d');
  });

  it('continues a backfilled file without repeating its header, and stops on abort', async () => {
    const out = join(root, 'follow');
    await generateFiles({ out, records: 500, days: 0.01, layout: 'simple', seed: 1 });
    const mainFile = join(out, `acct-${today()}-0000.csv`);
    // Just after UTC midnight the backfill may not have reached today's file yet.
    const before = existsSync(mainFile) ? readFileSync(mainFile, 'utf8') : '';
    const controller = new AbortController();
    const live = startLiveGenerator({ out, ratePerSecond: 300, layout: 'simple', signal: controller.signal });
    await sleep(900);
    controller.abort();
    await live.stop();
    const after = readFileSync(mainFile, 'utf8');
    expect(after.startsWith(before)).toBe(true);
    expect(after.length).toBeGreaterThan(before.length);
    expect(after.split('\n').filter((line) => line.startsWith('type,'))).toHaveLength(1);
    expect(readdirSync(out).filter((n) => n.startsWith('acct-tq'))).toHaveLength(0);
    const file = readAcctFiles(out).find((f) => f.name === `acct-${today()}-0000.csv`);
    if (!file) throw new Error('no file for today');
    expect(file.header).toEqual([...DEFAULT_COLUMNS]);
    expect(file.rows.every((r) => ['d', 'b', 't'].includes(r.type))).toBe(true);
    const size = after.length;
    await sleep(600);
    expect(readFileSync(mainFile, 'utf8').length).toBe(size);
  });
});

describe('createLiveSimulation on a fake clock', () => {
  const HOUR = 3_600_000;
  const START = Date.UTC(2024, 4, 14, 8);

  /**
   * Ninety minutes at 30 messages/s in 250 ms ticks, as startLiveGenerator steps, then every row
   * still planned. Deferral retries, expiry bounces (12 h), remote bounces and complaints (up to
   * days) are planned at injection, so by then over ten thousand rows wait.
   */
  function run(pending: PendingRows) {
    const live = createLiveSimulation({ ratePerSecond: 30, seed: 11, layout: 'full', start: START, pending });
    let planned = 0;
    const spawn = live.sim.spawn.bind(live.sim);
    live.sim.spawn = (time: number) => {
      const rows = spawn(time);
      planned += rows;
      return rows;
    };
    const hash = createHash('sha256');
    const counts: Record<string, number> = {};
    let written = 0;
    let late = 0;
    let previous = 0;
    let outOfOrder = 0;
    let maxInMemory = 0;
    let maxPending = 0;
    let now = START;
    const take = (time: number, type: string, line: string) => {
      if (time < previous) outOfOrder++;
      if (time > now) late++;
      previous = time;
      counts[type] = (counts[type] ?? 0) + 1;
      written++;
      hash.update(`${time}|${type}|${line}\n`);
    };
    for (let tick = 0; tick < (1.5 * HOUR) / 250; tick++) {
      now += 250;
      live.advance(now, (row) => take(row.time, row.type, row.line));
      maxInMemory = Math.max(maxInMemory, live.sim.pending.inMemory);
      maxPending = Math.max(maxPending, live.sim.pending.size);
    }
    const pendingAtStop = live.sim.pending.size;
    now = Number.POSITIVE_INFINITY;
    for (let row = live.sim.pending.pop(); row; row = live.sim.pending.pop())
      take(row.time, row.type, row.line);
    live.dispose();
    return {
      planned,
      written,
      counts,
      late,
      outOfOrder,
      pendingAtStop,
      maxInMemory,
      maxPending,
      digest: hash.digest('hex'),
    };
  }

  it('makes at most MAX_STEP_MS of traffic in a step that comes late, and says what it skipped', () => {
    const live = createLiveSimulation({ ratePerSecond: 100, seed: 3, layout: 'simple', start: START });
    let spawned = 0;
    const spawn = live.sim.spawn.bind(live.sim);
    live.sim.spawn = (time: number) => {
      spawned++;
      return spawn(time);
    };
    let now = START;
    const step = (ms: number) => {
      now += ms;
      live.advance(now, () => {});
    };
    for (let i = 0; i < 40; i++) step(250);
    expect(spawned).toBe(1_000);
    expect(live.shortfall(now)).toBeNull(); // 10 s, nothing skipped
    // A step a minute late (the previous one overran, or the process was paused) made the whole
    // minute's 6,000 messages at once, in memory before any was written; a generator slower than
    // its rate then fell further behind at each step.
    step(60_000);
    expect(spawned).toBe(1_000 + (100 * MAX_STEP_MS) / 1000);
    expect(live.skipped).toBe(100 * (60 - MAX_STEP_MS / 1000));
    for (let i = 0; i < 40; i++) step(250);
    expect(spawned).toBe(2_000 + (100 * MAX_STEP_MS) / 1000);
    expect(live.shortfall(now)).toBe(
      'live generator cannot keep up with 100 messages/s: it made 1,200 messages in the last 70 s (17/s) and skipped 5,800',
    );
    expect(live.shortfall(now + 10_000)).toBeNull();
    live.dispose();
  });

  it('keeps only the rows due soon in memory and still writes every planned row, in order', () => {
    const dir = mkdtempSync(join(root, 'spill-'));
    const spilled = run(new PendingRows({ dir }));
    // A horizon of 30,000 years keeps every row in memory, as the generator did before.
    const inMemory = run(new PendingRows({ horizonMs: 1e15, dir }));

    expect(spilled.pendingAtStop).toBeGreaterThan(10_000);
    expect(spilled.maxInMemory).toBeLessThan(spilled.maxPending / 15);
    expect(inMemory.maxInMemory).toBe(inMemory.maxPending);
    expect(readdirSync(dir)).toEqual([]);

    expect(spilled.written).toBe(spilled.planned);
    expect(spilled.outOfOrder).toBe(0);
    expect(spilled.late).toBe(0);
    // The same rows at the same times as when all were held in memory, so the same proportions.
    expect(spilled.digest).toBe(inMemory.digest);
    expect(spilled.counts).toEqual(inMemory.counts);
    expect(Object.keys(spilled.counts).sort()).toEqual(['b', 'd', 'f', 'r', 'rb', 'rs', 't', 'tq']);
  }, 60_000);
});
