import { describe, expect, it } from 'vitest';
import { dsnCode } from './dsn-code.ts';
import {
  bucketsAbove,
  emptyHistogram,
  histogramQuantile,
  isBeyondBounds,
  LATENCY_BOUNDS_MS,
  LATENCY_BUCKETS,
  latencyBucket,
  latencyStats,
} from './latency.ts';

const S = 1000;

describe('latencyBucket', () => {
  it('puts a latency in the first bucket whose upper bound is at least it', () => {
    expect(latencyBucket(0)).toBe(0);
    expect(latencyBucket(1)).toBe(1);
    expect(latencyBucket(S)).toBe(1);
    expect(latencyBucket(S + 1)).toBe(2);
    expect(latencyBucket(2 * S)).toBe(2);
    expect(LATENCY_BOUNDS_MS[latencyBucket(61 * S)]).toBe(90 * S);
    expect(LATENCY_BOUNDS_MS[latencyBucket(3600 * S)]).toBe(3600 * S);
    expect(LATENCY_BOUNDS_MS[latencyBucket(3 * 86_400 * S)]).toBe(259_200 * S);
  });

  it('clamps negative latencies to 0 and counts beyond 3 days in the overflow bucket', () => {
    expect(latencyBucket(-5000)).toBe(0);
    expect(latencyBucket(259_200 * S + 1)).toBe(LATENCY_BOUNDS_MS.length);
    expect(latencyBucket(1e12)).toBe(LATENCY_BUCKETS - 1);
  });

  it('lists the buckets above a bound: exactly those of latencies slower than it', () => {
    expect(bucketsAbove(259_200 * S)).toEqual([LATENCY_BOUNDS_MS.length]);
    expect(bucketsAbove(0)).toEqual(Array.from({ length: LATENCY_BUCKETS - 1 }, (_, i) => i + 1));
    for (const bound of LATENCY_BOUNDS_MS) {
      const above = new Set(bucketsAbove(bound));
      for (const ms of [-1000, 0, 1, bound - 1, bound, bound + 1, 2 * bound + 5, 1e12]) {
        expect(above.has(latencyBucket(ms)), `${ms} ms over ${bound}`).toBe(ms > bound);
      }
    }
    expect(() => bucketsAbove(1500)).toThrow(/not a latency bucket bound/);
  });

  it('has increasing bounds, log-spaced: at most 1.5× apart beyond 4 s', () => {
    for (let i = 1; i < LATENCY_BOUNDS_MS.length; i++) {
      expect(LATENCY_BOUNDS_MS[i]).toBeGreaterThan(LATENCY_BOUNDS_MS[i - 1]);
      if (LATENCY_BOUNDS_MS[i - 1] >= 4 * S)
        expect(LATENCY_BOUNDS_MS[i] / LATENCY_BOUNDS_MS[i - 1]).toBeLessThanOrEqual(1.5);
    }
    expect(LATENCY_BOUNDS_MS.length).toBeGreaterThanOrEqual(35);
  });

  it('agrees with a linear scan for every whole second up to 4 days', () => {
    for (let s = 0; s <= 4 * 86_400; s += 7) {
      const ms = s * S;
      let expected = LATENCY_BOUNDS_MS.findIndex((b) => ms <= b);
      if (expected === -1) expected = LATENCY_BOUNDS_MS.length;
      expect(latencyBucket(ms)).toBe(expected);
    }
  });
});

describe('histogramQuantile', () => {
  const histogramOf = (latencies: number[]) => {
    const h = emptyHistogram();
    for (const ms of latencies) h[latencyBucket(ms)]++;
    return h;
  };

  it('answers null for an empty histogram', () => {
    expect(latencyStats(emptyHistogram())).toEqual({
      count: 0,
      p50: null,
      p90: null,
      p99: null,
      overflow: 0,
    });
  });

  it('is the upper bound of the bucket holding the nearest rank', () => {
    // 100 deliveries: 50 in the same second, 40 at 2 s, 9 at 50 s, 1 after 5 hours.
    const h = histogramOf([
      ...new Array(50).fill(0),
      ...new Array(40).fill(2 * S),
      ...new Array(9).fill(50 * S),
      5 * 3600 * S,
    ]);
    expect(latencyStats(h)).toEqual({ count: 100, p50: 0, p90: 2 * S, p99: 60 * S, overflow: 0 });
    expect(histogramQuantile(h, 0.51)).toBe(2 * S);
    expect(histogramQuantile(h, 0.91)).toBe(60 * S);
    expect(histogramQuantile(h, 1)).toBe(21_600 * S);
  });

  it('equals the exact nearest-rank percentile whenever the values sit on bounds', () => {
    const values = [0, 1, 1, 2, 3, 5, 5, 10, 30, 60, 60, 120, 600, 3600].map((s) => s * S);
    const sorted = [...values].sort((a, b) => a - b);
    for (const p of [0.1, 0.25, 0.5, 0.75, 0.9, 0.99]) {
      expect(histogramQuantile(histogramOf(values), p)).toBe(sorted[Math.ceil(p * sorted.length) - 1]);
    }
  });

  it('never underestimates, and is within one bucket of the exact value', () => {
    const values = Array.from({ length: 1000 }, (_, i) => Math.round(Math.exp(i / 80) * 137));
    const sorted = [...values].sort((a, b) => a - b);
    for (const p of [0.5, 0.9, 0.99]) {
      const exact = sorted[Math.ceil(p * sorted.length) - 1];
      const q = histogramQuantile(histogramOf(values), p)!;
      expect(q).toBeGreaterThanOrEqual(exact);
      expect(latencyBucket(q)).toBe(latencyBucket(exact));
    }
  });

  it('reports the last bound for ranks in the overflow bucket', () => {
    expect(histogramQuantile(histogramOf([10 * 86_400 * S]), 0.5)).toBe(259_200 * S);
  });

  it('tells a percentile beyond the last bound (more than 3 days) from one at most 3 days', () => {
    const D = 86_400 * S;
    // 10 deliveries of 4 days: every percentile is more than 3 days (the screen read "≤ 3.0 d").
    const slow = latencyStats(histogramOf(new Array(10).fill(4 * D)));
    expect(slow).toMatchObject({ count: 10, p50: 3 * D, p99: 3 * D, overflow: 10 });
    expect(['p50', 'p90', 'p99'].map((p) => isBeyondBounds(slow, p as 'p50'))).toEqual([true, true, true]);
    // 10 deliveries of 2.5 days: the same value, at most 3 days.
    const bounded = latencyStats(histogramOf(new Array(10).fill(2.5 * D)));
    expect(bounded).toMatchObject({ p50: 3 * D, p99: 3 * D, overflow: 0 });
    expect(isBeyondBounds(bounded, 'p99')).toBe(false);
    // 98 fast, 2 of 4 days: p99's rank (99) is among the slow ones, p90's (90) is not.
    const mixed = latencyStats(histogramOf([...new Array(98).fill(S), 4 * D, 4 * D]));
    expect(mixed).toMatchObject({ count: 100, p90: S, p99: 3 * D, overflow: 2 });
    expect(isBeyondBounds(mixed, 'p90')).toBe(false);
    expect(isBeyondBounds(mixed, 'p99')).toBe(true);
    // 99 fast, 1 of 4 days: p99's rank is the 99th, a fast one.
    const edge = latencyStats(histogramOf([...new Array(99).fill(S), 4 * D]));
    expect(isBeyondBounds(edge, 'p99')).toBe(false);
    expect(edge.p99).toBe(S);
    expect(isBeyondBounds(latencyStats(emptyHistogram()), 'p50')).toBe(false);
  });
});

describe('dsnCode', () => {
  it('takes the X.Y.Z code at the start of dsnStatus', () => {
    expect(dsnCode('5.7.1 (delivery not authorized)')).toBe('5.7.1');
    expect(dsnCode('4.4.1 (no answer from host)')).toBe('4.4.1');
    expect(dsnCode('2.0.0 (success)')).toBe('2.0.0');
    expect(dsnCode('5.1.10')).toBe('5.1.10');
  });
  it("is '' when there is none", () => {
    expect(dsnCode(null)).toBe('');
    expect(dsnCode('')).toBe('');
    expect(dsnCode('failed')).toBe('');
    expect(dsnCode('5.7.1.2 odd')).toBe('');
  });
});
