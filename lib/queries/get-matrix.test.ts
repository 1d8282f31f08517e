import { describe, expect, it } from 'vitest';
import type { Counts } from '../acct/types.ts';
import { emptyCounts } from './counts.ts';
import { markCell } from './get-matrix.ts';

const counts = (c: Partial<Counts>): Counts => ({ ...emptyCounts(), ...c });

describe('markCell', () => {
  // Yahoo defers 10 % of its attempts over every pool.
  const yahoo = counts({ delivered: 9_000, deferred: 1_000 });
  it('marks a key that does worse with a provider than the provider does over every key', () => {
    // 20 %: 10 points and 2 × over → high; 14 %: 4 points, 1.4 × → notable; 12 %: 2 points → none.
    expect(markCell('deferral', counts({ delivered: 800, deferred: 200 }), yahoo)).toBe('high');
    expect(markCell('deferral', counts({ delivered: 860, deferred: 140 }), yahoo)).toBe('notable');
    expect(markCell('deferral', counts({ delivered: 880, deferred: 120 }), yahoo)).toBeNull();
    // Under the provider's own rate: nothing to mark, however high the rate.
    expect(markCell('deferral', counts({ delivered: 900, deferred: 100 }), yahoo)).toBeNull();
  });
  it('needs both the points and the ratio: 6 points over a 40 % rate is usual', () => {
    const busy = counts({ delivered: 600, deferred: 400 });
    expect(markCell('deferral', counts({ delivered: 540, deferred: 460 }), busy)).toBeNull();
    // Against a provider with no deferrals at all, the points alone decide.
    const none = counts({ delivered: 1_000 });
    expect(markCell('deferral', counts({ delivered: 940, deferred: 60 }), none)).toBe('high');
    expect(markCell('deferral', counts({ delivered: 970, deferred: 30 }), none)).toBe('notable');
  });
  it('does not mark a rate on too little volume, nor a cell with nothing to rate', () => {
    expect(markCell('deferral', counts({ delivered: 50, deferred: 49 }), yahoo)).toBe('low-volume');
    expect(markCell('deferral', counts({ received: 5 }), yahoo)).toBeNull();
    // Complaints are rated per delivery, from 1,000 deliveries.
    const gmail = counts({ delivered: 100_000, complaints: 50 });
    expect(markCell('complaint', counts({ delivered: 999, complaints: 9 }), gmail)).toBe('low-volume');
    expect(markCell('complaint', counts({ delivered: 2_000, complaints: 5 }), gmail)).toBe('high');
    expect(markCell('complaint', counts({ delivered: 2_000, complaints: 3 }), gmail)).toBe('notable');
  });
  it('rates bounces among the final outcomes, deferrals aside', () => {
    const google = counts({ delivered: 9_800, bounced: 200, deferred: 5_000 });
    expect(markCell('bounce', counts({ delivered: 950, bounced: 50, deferred: 4_000 }), google)).toBe('high');
  });
});
