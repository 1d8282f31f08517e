import { describe, expect, it } from 'vitest';
import { parseFilters } from '../filters.ts';
import { previousPeriod, relativeChange } from './compare.ts';

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
        preset: q.includes('today') ? 'today' : 'yesterday',
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
  it('gives the relative change, null without a previous value', () => {
    expect(relativeChange(3, 4)).toBe(-0.25);
    expect(relativeChange(5, 0)).toBeNull();
    expect(relativeChange(0, 2)).toBe(-1);
  });
});
