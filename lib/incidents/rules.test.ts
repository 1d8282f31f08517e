import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RULES,
  goingOnAtEnd,
  judge,
  onsetOf,
  ratioOf,
  type SliceCounts,
  thresholdFor,
} from './rules.ts';

const counts = (c: Partial<SliceCounts>): SliceCounts => ({
  delivered: 0,
  bounced: 0,
  deferred: 0,
  complaints: 0,
  ...c,
});

describe('ratioOf', () => {
  // Distinct powers of two: each sum names the types it added.
  const c = counts({ delivered: 1, bounced: 2, deferred: 4, complaints: 8 });

  it('counts the types of the stats rates (README: incidents): the records the card links to', () => {
    expect(ratioOf('bounce', c)).toEqual({ events: 2, volume: 1 + 2 });
    expect(ratioOf('deferral', c)).toEqual({ events: 4, volume: 1 + 2 + 4 });
    expect(ratioOf('complaint', c)).toEqual({ events: 8, volume: 1 });
  });
});

describe('thresholdFor', () => {
  it('takes the strictest of the floor, the factor and the delta', () => {
    const rule = DEFAULT_RULES.deferral;
    expect(thresholdFor(rule, null)).toBe(0.1);
    expect(thresholdFor(rule, 0.01)).toBe(0.1);
    expect(thresholdFor(rule, 0.05)).toBeCloseTo(0.15, 12);
    expect(thresholdFor(rule, 0.4)).toBeCloseTo(1.2, 12); // a pool that always defers can't alarm on rate alone
  });
});

describe('judge', () => {
  const steady = counts({ delivered: 95_000, deferred: 2_000, bounced: 1_000 });

  it('fires on a deferral wave against a quiet baseline', () => {
    const v = judge('deferral', counts({ delivered: 300, deferred: 200 }), steady);
    expect(v.firing).toBe(true);
    expect(v.current).toBeCloseTo(0.4, 12);
    expect(v.baseline).toBeCloseTo(2000 / 98_000, 12);
  });

  it('stays quiet at the usual rate, and on slices too small to judge', () => {
    expect(judge('deferral', counts({ delivered: 980, deferred: 20, bounced: 10 }), steady).firing).toBe(
      false,
    );
    const small = judge('deferral', counts({ delivered: 20, deferred: 30 }), steady);
    expect(small.firing).toBe(false);
    expect(small.undecided).toBe(true);
  });

  it('needs enough events, not only a high rate', () => {
    const v = judge('bounce', counts({ delivered: 95, bounced: 9 }), steady);
    expect(v.volume).toBe(104);
    expect(v.firing).toBe(false);
  });

  it('keeps an open incident open until the rate falls under 80 % of the threshold', () => {
    const recovering = counts({ delivered: 900, deferred: 95 }); // 9.5 %: under 10 %, over 8 %
    expect(judge('deferral', recovering, steady, DEFAULT_RULES.deferral, false).firing).toBe(false);
    expect(judge('deferral', recovering, steady, DEFAULT_RULES.deferral, true).firing).toBe(true);
    const normal = counts({ delivered: 980, deferred: 20 });
    expect(judge('deferral', normal, steady, DEFAULT_RULES.deferral, true).firing).toBe(false);
    // A small window: still high keeps it open, normal closes it, no traffic at all closes it.
    expect(
      judge('deferral', counts({ delivered: 5, deferred: 5 }), steady, DEFAULT_RULES.deferral, true).firing,
    ).toBe(true);
    expect(judge('deferral', counts({ delivered: 10 }), steady, DEFAULT_RULES.deferral, true).firing).toBe(
      false,
    );
    expect(judge('deferral', counts({}), steady, DEFAULT_RULES.deferral, true).firing).toBe(false);
  });

  it('judges complaints against delivered mail', () => {
    const v = judge(
      'complaint',
      counts({ delivered: 2_000, complaints: 8 }),
      counts({ delivered: 100_000, complaints: 50 }),
    );
    expect(v.current).toBeCloseTo(0.004, 12);
    expect(v.firing).toBe(true);
    expect(judge('complaint', counts({ delivered: 500, complaints: 8 }), steady).undecided).toBe(true);
  });
});

describe('onsetOf', () => {
  const at = (minute: number) => new Date(Date.UTC(2026, 10, 30, 2, minute));
  const minutes = (rows: [number, Partial<SliceCounts>][]) =>
    rows.map(([minute, c]) => ({ t: at(minute), counts: counts(c) }));

  it('puts a wave at its first minute, not at a lone deferral in a quiet minute long before it', () => {
    // 01:59-like: one deferral of one attempt, then quiet minutes, then the wave from :21.
    const m = minutes([
      [0, { deferred: 1 }],
      ...Array.from({ length: 20 }, (_, i): [number, Partial<SliceCounts>] => [i + 1, { delivered: 1 }]),
      [21, { delivered: 1, deferred: 9 }],
      [22, { delivered: 1, deferred: 7 }],
      [23, { deferred: 7 }],
    ]);
    expect(onsetOf(m, 'deferral', 0.47)).toEqual(at(21));
  });

  it('keeps a short lull inside the wave, skips minutes without traffic, and is null below the threshold', () => {
    const m = minutes([
      [5, { delivered: 9, deferred: 1 }],
      [6, { delivered: 2, deferred: 8 }],
      [7, { delivered: 8, deferred: 2 }], // a lull: from :06 the rate is still 50 %
      [8, {}],
      [9, { delivered: 1, deferred: 9 }],
    ]);
    expect(onsetOf(m, 'deferral', 0.5)).toEqual(at(6));
    expect(onsetOf(m, 'deferral', 0.95)).toBeNull();
    expect(onsetOf(m, 'bounce', 0.01)).toBeNull(); // no bounce in any minute
  });
});

describe('goingOnAtEnd', () => {
  const minute = (c: Partial<SliceCounts>) => ({ counts: counts(c) });
  const wave = Array.from({ length: 25 }, () => minute({ delivered: 10, deferred: 10 }));
  const rule = DEFAULT_RULES.deferral; // 20 events over a 30-minute window: 4 in a 5-minute tail

  it('holds while the wave goes on at the pace and rate the window needs', () => {
    const tail = Array.from({ length: 5 }, () => minute({ delivered: 3, deferred: 1 }));
    expect(goingOnAtEnd([...wave, ...tail], 'deferral', 0.2, rule, 5, 30)).toBe(true);
  });

  it('fails when the tail is back under the threshold', () => {
    const tail = Array.from({ length: 5 }, () => minute({ delivered: 30, deferred: 1 }));
    expect(goingOnAtEnd([...wave, ...tail], 'deferral', 0.2, rule, 5, 30)).toBe(false);
  });

  it('fails when traffic has all but stopped: one deferred attempt is not a wave going on', () => {
    const quiet = [minute({}), minute({}), minute({ deferred: 1 }), minute({}), minute({})];
    expect(goingOnAtEnd([...wave, ...quiet], 'deferral', 0.2, rule, 5, 30)).toBe(false);
    const three = [minute({}), minute({ deferred: 2 }), minute({ deferred: 1 }), minute({}), minute({})];
    expect(goingOnAtEnd([...wave, ...three], 'deferral', 0.2, rule, 5, 30)).toBe(false);
    const four = [minute({}), minute({ deferred: 2 }), minute({ deferred: 2 }), minute({}), minute({})];
    expect(goingOnAtEnd([...wave, ...four], 'deferral', 0.2, rule, 5, 30)).toBe(true);
    expect(
      goingOnAtEnd([...wave, ...Array.from({ length: 5 }, () => minute({}))], 'deferral', 0.2, rule, 5, 30),
    ).toBe(false);
  });

  it('always holds for complaints, and with no tail', () => {
    expect(goingOnAtEnd([], 'complaint', 0.003, DEFAULT_RULES.complaint, 5, 30)).toBe(true);
    expect(goingOnAtEnd([], 'deferral', 0.2, rule, 0, 30)).toBe(true);
  });
});
