import type { Filters } from '../filters.ts';

/** The period of equal length just before the range (umami's getCompareDate): same filters. */
export function previousPeriod(filters: Filters): Filters {
  const span = filters.to.getTime() - filters.from.getTime();
  return { ...filters, from: new Date(filters.from.getTime() - span), to: new Date(filters.from.getTime()) };
}

/** Relative change from `previous` to `current`; null when there is nothing to compare with. */
export function relativeChange(current: number, previous: number): number | null {
  if (previous === 0) return null;
  return (current - previous) / previous;
}
