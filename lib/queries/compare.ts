import type { DayPreset, Filters } from '../filters.ts';
import { truncateToBucket } from './buckets.ts';

/** What a comparison is against, as the KPI cards say it ("vs 4 in the previous period"). */
export interface Comparison {
  /** After a count: "vs 4 in the previous period", "vs 4 the day before". */
  phrase: string;
  /** Alone: "– vs previous period". */
  name: string;
}

/** The comparison with the period of equal length just before (the default). */
export const EQUAL_LENGTH: Comparison = { phrase: 'in the previous period', name: 'previous period' };
const DAY_BEFORE: Comparison = { phrase: 'the day before', name: 'the day before' };
const YESTERDAY_SO_FAR: Comparison = { phrase: 'yesterday by this time', name: 'yesterday by this time' };

/**
 * The period the KPI cards compare with, with the same filters: before a calendar day (`day`),
 * the day before in its zone, yesterday's whole day for `yesterday` (23 or 25 hours across a DST
 * change, where the equal length would cut an hour) and yesterday up to the same time for `today`
 * ("today so far" against yesterday's first hours); otherwise the period of equal length just
 * before the range (umami's getCompareDate).
 */
export function previousPeriod(
  filters: Filters,
  day?: { preset: DayPreset; tz: string },
): Filters & { comparison: Comparison } {
  if (day) {
    const from = truncateToBucket(new Date(filters.from.getTime() - 1), 'day', day.tz);
    const to =
      day.preset === 'yesterday'
        ? filters.from
        : new Date(
            Math.min(
              filters.from.getTime(),
              from.getTime() + (filters.to.getTime() - filters.from.getTime()),
            ),
          );
    return { ...filters, from, to, comparison: day.preset === 'yesterday' ? DAY_BEFORE : YESTERDAY_SO_FAR };
  }
  const span = filters.to.getTime() - filters.from.getTime();
  return {
    ...filters,
    from: new Date(filters.from.getTime() - span),
    to: new Date(filters.from.getTime()),
    comparison: EQUAL_LENGTH,
  };
}

/** Relative change from `previous` to `current`; null when there is nothing to compare with. */
export function relativeChange(current: number, previous: number): number | null {
  if (previous === 0) return null;
  return (current - previous) / previous;
}
