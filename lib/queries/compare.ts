import type { DayPreset, Filters } from '../filters.ts';
import { shiftWallDays } from '../zoned-time.ts';
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
const WEEK_BEFORE: Comparison = { phrase: 'the same time last week', name: 'the same time last week' };
const SAME_DAY_LAST_WEEK: Comparison = { phrase: 'the same day last week', name: 'the same day last week' };
const SAME_DAY_LAST_WEEK_SO_FAR: Comparison = {
  phrase: 'the same day last week by this time',
  name: 'the same day last week by this time',
};

/**
 * What the KPI cards compare with (`compare=`): the period just before (`previous`, the default),
 * or the same wall times a week before (`week`), as mail follows the week: a Monday morning's
 * traffic against Sunday night's says little about a Monday.
 */
export const COMPARE_CHOICES = ['previous', 'week'] as const;
export type CompareChoice = (typeof COMPARE_CHOICES)[number];

/**
 * The longest range compared with a week before: a longer one would overlap the week it is
 * compared with (7 days plus the hour a DST change adds).
 */
export const WEEK_COMPARE_MAX_MS = 7 * 86_400_000 + 3_600_000;

/** Whether `compare=week` applies to the range (else it is compared with the period before). */
export function weekComparable(filters: Pick<Filters, 'from' | 'to'>): boolean {
  return filters.to.getTime() - filters.from.getTime() <= WEEK_COMPARE_MAX_MS;
}

/** How the cards name what they compare with, for `compare` on a range that allows it. */
export function comparisonFor(compare: CompareChoice, dayPreset?: DayPreset): Comparison {
  if (compare === 'week') {
    return dayPreset === 'yesterday'
      ? SAME_DAY_LAST_WEEK
      : dayPreset === 'today'
        ? SAME_DAY_LAST_WEEK_SO_FAR
        : WEEK_BEFORE;
  }
  return dayPreset === 'yesterday' ? DAY_BEFORE : dayPreset === 'today' ? YESTERDAY_SO_FAR : EQUAL_LENGTH;
}

/**
 * The period the KPI cards compare with, with the same filters.
 *
 * `compare=week` (on ranges up to 7 days): the same wall times 7 days before in the display zone
 * (`tz`), so across a clock change a week before 10:05 is 10:05, and a Sunday of 25 hours is
 * compared with the whole Sunday before.
 *
 * Otherwise: before a calendar day (`dayPreset`), the day before in its zone, yesterday's whole day
 * for `yesterday` (23 or 25 hours across a DST change, where the equal length would cut an hour)
 * and yesterday up to the same time for `today` ("today so far" against yesterday's first hours);
 * otherwise the period of equal length just before the range (umami's getCompareDate).
 */
export function previousPeriod(
  filters: Filters,
  {
    dayPreset,
    tz = 'UTC',
    compare = 'previous',
  }: { dayPreset?: DayPreset; tz?: string; compare?: CompareChoice } = {},
): Filters & { comparison: Comparison } {
  if (compare === 'week' && weekComparable(filters)) {
    return {
      ...filters,
      from: shiftWallDays(filters.from, -7, tz),
      to: shiftWallDays(filters.to, -7, tz),
      comparison: comparisonFor('week', dayPreset),
    };
  }
  if (dayPreset) {
    const from = truncateToBucket(new Date(filters.from.getTime() - 1), 'day', tz);
    const to =
      dayPreset === 'yesterday'
        ? filters.from
        : new Date(
            Math.min(
              filters.from.getTime(),
              from.getTime() + (filters.to.getTime() - filters.from.getTime()),
            ),
          );
    return { ...filters, from, to, comparison: comparisonFor('previous', dayPreset) };
  }
  const span = filters.to.getTime() - filters.from.getTime();
  return {
    ...filters,
    from: new Date(filters.from.getTime() - span),
    to: new Date(filters.from.getTime()),
    comparison: comparisonFor('previous'),
  };
}

/** Relative change from `previous` to `current`; null when there is nothing to compare with. */
export function relativeChange(current: number, previous: number): number | null {
  if (previous === 0) return null;
  return (current - previous) / previous;
}
