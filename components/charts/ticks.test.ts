import { describe, expect, it } from 'vitest';
import { xTickInterval } from './ticks.ts';

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
