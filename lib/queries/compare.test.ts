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
  it('gives the relative change, null without a previous value', () => {
    expect(relativeChange(3, 4)).toBe(-0.25);
    expect(relativeChange(5, 0)).toBeNull();
    expect(relativeChange(0, 2)).toBe(-1);
  });
});
