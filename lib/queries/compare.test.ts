import { describe, expect, it } from 'vitest';
import { parseFilters } from '../filters.ts';
import { previousPeriod, relativeChange, weekComparable } from './compare.ts';

describe('comparison period', () => {
  it('is the range of equal length just before, with the same filters', () => {
    const f = parseFilters(new URLSearchParams('from=2026-01-10T10:04:00Z&to=2026-01-10T10:08:00Z&vmta=v1'));
    const p = previousPeriod(f);
    expect([p.from.toISOString(), p.to.toISOString()]).toEqual([
      '2026-01-10T10:00:00.000Z',
      '2026-01-10T10:04:00.000Z',
    ]);
    expect(p.vmta).toEqual(['v1']);
  });
  it('is the calendar day before a day preset, in its zone', () => {
    const at = (q: string, now: string) => {
      const f = parseFilters(new URLSearchParams(q), new Date(now));
      const p = previousPeriod(f, {
        dayPreset: q.includes('today') ? 'today' : 'yesterday',
        tz: 'Europe/Berlin',
      });
      return [p.from.toISOString(), p.to.toISOString(), p.comparison.phrase, p.vmta];
    };
    // Yesterday (Sunday 25 October 2026, 25 hours in Berlin) against the whole Saturday before.
    expect(at('range=yesterday&tz=Europe/Berlin&vmta=v1', '2026-10-26T09:00:00Z')).toEqual([
      '2026-10-23T22:00:00.000Z',
      '2026-10-24T22:00:00.000Z',
      'the day before',
      ['v1'],
    ]);
    // Today up to 10:05 against yesterday up to 10:05.
    expect(at('range=today&tz=Europe/Berlin', '2026-12-07T09:04:30Z')).toEqual([
      '2026-12-05T23:00:00.000Z',
      '2026-12-06T09:05:00.000Z',
      'yesterday by this time',
      [],
    ]);
  });
  describe('a week before (compare=week)', () => {
    const week = (q: string, now: string, dayPreset?: 'today' | 'yesterday') => {
      const f = parseFilters(new URLSearchParams(q), new Date(now));
      const p = previousPeriod(f, { dayPreset, tz: 'Europe/Berlin', compare: 'week' });
      return [p.from.toISOString(), p.to.toISOString(), p.comparison.phrase, p.vmta];
    };
    it('is the same wall times 7 days before, with the same filters', () => {
      expect(
        week('from=2026-01-10T10:04:00Z&to=2026-01-10T10:08:00Z&vmta=v1', '2026-02-01T00:00:00Z'),
      ).toEqual(['2026-01-03T10:04:00.000Z', '2026-01-03T10:08:00.000Z', 'the same time last week', ['v1']]);
    });
    it('keeps the wall time across a clock change, and sub-minute edges', () => {
      // Monday 26 October 2026 10:05:30 CET (09:05:30Z) a week after Monday 19 October 10:05:30 CEST
      // (08:05:30Z): 169 hours back, not 168.
      expect(week('range=24h', '2026-10-26T09:05:30Z').slice(0, 3)).toEqual([
        '2026-10-18T08:06:00.000Z',
        '2026-10-19T08:06:00.000Z',
        'the same time last week',
      ]);
      expect(
        week('from=2026-10-26T09:05:30.250Z&to=2026-10-26T09:06:00Z', '2026-11-01T00:00:00Z').slice(0, 2),
      ).toEqual(['2026-10-19T08:05:30.250Z', '2026-10-19T08:06:00.000Z']);
    });
    it('compares a calendar day with the same weekday a week before, whole or so far', () => {
      // Yesterday, Sunday 25 October 2026 (25 hours in Berlin), against the whole Sunday before (24).
      expect(week('range=yesterday&tz=Europe/Berlin', '2026-10-26T09:00:00Z', 'yesterday')).toEqual([
        '2026-10-17T22:00:00.000Z',
        '2026-10-18T22:00:00.000Z',
        'the same day last week',
        [],
      ]);
      // Today up to 10:05 against the same weekday a week before up to 10:05.
      expect(week('range=today&tz=Europe/Berlin', '2026-12-07T09:04:30Z', 'today')).toEqual([
        '2026-11-29T23:00:00.000Z',
        '2026-11-30T09:05:00.000Z',
        'the same day last week by this time',
        [],
      ]);
    });
    it('falls back to the previous period on ranges longer than a week', () => {
      expect(week('range=30d', '2026-12-07T09:04:30Z').slice(1, 3)).toEqual([
        '2026-11-07T09:05:00.000Z',
        'in the previous period',
      ]);
      const at = (q: string) =>
        weekComparable(parseFilters(new URLSearchParams(q), new Date('2026-12-07T00:00:00Z')));
      expect([
        at('range=7d'),
        at('range=30d'),
        at('from=2026-10-19T00:00:00Z&to=2026-10-26T01:00:00Z'),
      ]).toEqual([true, false, true]);
    });
  });
  it('gives the relative change, null without a previous value', () => {
    expect(relativeChange(3, 4)).toBe(-0.25);
    expect(relativeChange(5, 0)).toBeNull();
    expect(relativeChange(0, 2)).toBe(-1);
  });
});
