import { describe, expect, it } from 'vitest';
import {
  durationTickLabel,
  durationTicks,
  linearTicks,
  percentTickFormatter,
  roundTimeTicks,
  thinTicks,
  xLabelsFor,
  xTickInterval,
} from './ticks.ts';

describe('x labels for a chart width', () => {
  it('fits the labels to the width: 8 on a laptop, fewer on a phone, 8 before measuring', () => {
    expect(xLabelsFor(null)).toBe(8);
    expect(xLabelsFor(1200)).toBe(8);
    expect(xLabelsFor(300)).toBe(3);
    expect(xLabelsFor(100)).toBe(2);
    expect(xTickInterval(60, xLabelsFor(300))).toBe(19);
  });
  it('thins round ticks to every k-th, from the first', () => {
    const t = ['00', '03', '06', '09', '12', '15', '18', '21'];
    expect(thinTicks(t, 8)).toEqual(t);
    expect(thinTicks(t, 3)).toEqual(['00', '09', '18']);
    expect(thinTicks(t, 4)).toEqual(['00', '06', '12', '18']);
  });
});

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

describe('linearTicks', () => {
  it('steps 1, 2, 2.5 or 5 × a power of ten from 0 to the first tick at or above the maximum', () => {
    expect(linearTicks(0.00704)).toEqual([0, 0.002, 0.004, 0.006, 0.008]);
    expect(linearTicks(0.0036)).toEqual([0, 0.001, 0.002, 0.003, 0.004]);
    expect(linearTicks(3170)).toEqual([0, 1000, 2000, 3000, 4000]);
    expect(linearTicks(9)).toEqual([0, 2.5, 5, 7.5, 10]);
    expect(linearTicks(8)).toEqual([0, 2, 4, 6, 8]);
    expect(linearTicks(1)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(linearTicks(0.03)).toEqual([0, 0.01, 0.02, 0.03]);
  });

  it('leaves an axis without data above zero to the chart', () => {
    expect(linearTicks(0)).toBeUndefined();
    expect(linearTicks(Number.NaN)).toBeUndefined();
  });
});

describe('percentTickFormatter', () => {
  it('labels every tick with the fewest decimals that show each exactly', () => {
    const label = (ticks: number[]) => ticks.map(percentTickFormatter(ticks));
    expect(label([0, 0.002, 0.004, 0.006, 0.008])).toEqual(['0.0 %', '0.2 %', '0.4 %', '0.6 %', '0.8 %']);
    expect(label([0, 0.0025, 0.005, 0.0075, 0.01])).toEqual([
      '0.00 %',
      '0.25 %',
      '0.50 %',
      '0.75 %',
      '1.00 %',
    ]);
    expect(label([0, 0.25, 0.5])).toEqual(['0 %', '25 %', '50 %']);
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

/** `n` bucket starts `stepMin` minutes apart from `from` (ISO). */
const starts = (from: string, n: number, stepMin: number) =>
  Array.from({ length: n }, (_, i) => new Date(Date.parse(from) + i * stepMin * 60_000).toISOString());
const hhmm = (ticks: string[] | null, tz = 'UTC') =>
  ticks?.map((t) =>
    new Intl.DateTimeFormat('en-GB', {
      timeZone: tz,
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
    }).format(new Date(t)),
  );

/** Every 3 hours of 24 from 5 Dec 10:00 (wall clock). */
const EVERY_3H = [
  '5, 12:00',
  '5, 15:00',
  '5, 18:00',
  '5, 21:00',
  '6, 00:00',
  '6, 03:00',
  '6, 06:00',
  '6, 09:00',
];

describe('roundTimeTicks', () => {
  it('labels a 7-day hourly chart at midnights, not every 22nd hour', () => {
    expect(hhmm(roundTimeTicks(starts('2026-11-29T11:00:00Z', 168, 60), 'UTC'))).toEqual([
      '30, 00:00',
      '1, 00:00',
      '2, 00:00',
      '3, 00:00',
      '4, 00:00',
      '5, 00:00',
      '6, 00:00',
    ]);
  });

  it('labels 24 hours every 3 hours and an hour of minutes every 10 minutes', () => {
    expect(hhmm(roundTimeTicks(starts('2026-12-05T10:00:00Z', 24, 60), 'UTC'))).toEqual(EVERY_3H);
    expect(hhmm(roundTimeTicks(starts('2026-12-06T10:00:00Z', 60, 1), 'UTC'))).toEqual([
      '6, 10:00',
      '6, 10:10',
      '6, 10:20',
      '6, 10:30',
      '6, 10:40',
      '6, 10:50',
    ]);
  });

  it('rounds the wall clock of the display zone, half-hour offsets included', () => {
    // Hours of Asia/Kolkata (UTC+05:30) start at :30 UTC.
    const kolkata = roundTimeTicks(starts('2026-12-05T04:30:00Z', 24, 60), 'Asia/Kolkata');
    expect(hhmm(kolkata, 'Asia/Kolkata')).toEqual(EVERY_3H);
    expect(kolkata?.[0]).toBe('2026-12-05T06:30:00.000Z');
  });

  it('labels 90 daily buckets on every other Monday, and few buckets all', () => {
    const days = roundTimeTicks(starts('2026-09-07T00:00:00Z', 90, 1440), 'UTC')!;
    expect(days.length).toBeLessThanOrEqual(8);
    for (const t of days) expect(new Date(t).getUTCDay()).toBe(1);
    expect(Date.parse(days[1]) - Date.parse(days[0])).toBe(14 * 86_400_000);
    const few = starts('2026-12-01T00:00:00Z', 7, 1440);
    expect(roundTimeTicks(few, 'UTC')).toEqual(few);
  });
});
