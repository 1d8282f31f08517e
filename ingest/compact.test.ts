import { describe, expect, it } from 'vitest';
import { COMPACTION_ORDER, inLanes, ROLLUP_TABLES } from './compact.ts';

describe('COMPACTION_ORDER', () => {
  it('names every rollup table once', () => {
    expect([...COMPACTION_ORDER].sort()).toEqual([...ROLLUP_TABLES].sort());
  });
});

describe('inLanes', () => {
  const tick = () => new Promise((r) => setTimeout(r, 5));

  it('runs every item, never more than `lanes` at once, starting them in order', async () => {
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    await inLanes([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      started.push(n);
      running++;
      peak = Math.max(peak, running);
      await tick();
      running--;
    });
    expect(started).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(peak).toBe(3);
  });

  it('tries the items after a failure and then throws the first error', async () => {
    const done: string[] = [];
    const run = inLanes(['a', 'b', 'c', 'd'], 2, async (item) => {
      await tick();
      if (item === 'a' || item === 'c') throw new Error(`failed ${item}`);
      done.push(item);
    });
    await expect(run).rejects.toThrow('failed a');
    expect(done.sort()).toEqual(['b', 'd']);
  });

  it('handles fewer items than lanes, and none', async () => {
    const seen: number[] = [];
    await inLanes([9], 4, async (n) => {
      seen.push(n);
    });
    await inLanes([], 2, async () => {
      throw new Error('never called');
    });
    expect(seen).toEqual([9]);
  });
});
