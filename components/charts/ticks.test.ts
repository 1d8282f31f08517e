import { describe, expect, it } from 'vitest';
import { durationTickLabel, durationTicks, xTickInterval } from './ticks.ts';

describe('xTickInterval', () => {
  it('labels every bucket while at most 8 fit', () => {
    expect(xTickInterval(0)).toBe(0);
    expect(xTickInterval(1)).toBe(0);
    expect(xTickInterval(8)).toBe(0);
  });

  it('labels every k-th bucket so at most 8 labels show', () => {
    for (const n of [9, 24, 30, 60, 90, 168, 1440]) {
      const k = xTickInterval(n) + 1;
      expect(Math.ceil(n / k)).toBeLessThanOrEqual(8);
      // the smallest such step: one less would show more than 8
      if (k > 1) expect(Math.ceil(n / (k - 1))).toBeGreaterThan(8);
    }
    expect(xTickInterval(168)).toBe(20);
  });
});

describe('durationTicks', () => {
  it('labels round durations up to the first at or above the largest value', () => {
    expect(durationTicks(0)).toEqual([0, 1]);
    expect(durationTicks(1)).toEqual([0, 1]);
    expect(durationTicks(3)).toEqual([0, 1, 10]);
    expect(durationTicks(10_800)).toEqual([0, 1, 10, 60, 600, 3600, 21_600]);
    expect(durationTicks(259_200)).toEqual([0, 1, 10, 60, 600, 3600, 21_600, 86_400, 604_800]);
  });

  it('still tops an axis beyond a week', () => {
    const ticks = durationTicks(10 * 86_400 + 1);
    expect(ticks.at(-1)).toBe(11 * 86_400);
    expect(ticks.at(-1)).toBeGreaterThanOrEqual(10 * 86_400 + 1);
  });
});

describe('durationTickLabel', () => {
  it('names each tick in its own unit', () => {
    expect(durationTicks(604_800).map(durationTickLabel)).toEqual([
      '0',
      '1 s',
      '10 s',
      '1 min',
      '10 min',
      '1 h',
      '6 h',
      '1 d',
      '7 d',
    ]);
  });
});
