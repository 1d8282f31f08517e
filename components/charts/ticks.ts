/** At most this many x-axis labels ("10 Jan, 14:05" is ~80 px at 12 px: 8 fit a laptop-wide chart). */
const MAX_X_LABELS = 8;

/**
 * Recharts' `interval` for an x axis of `n` categories: every k-th label, so at most MAX_X_LABELS
 * show. A number also spares Recharts measuring every label in the DOM to drop overlapping ones
 * (`minTickGap`): one forced layout per bucket, ~60 ms on a 7-day hourly chart.
 */
export function xTickInterval(n: number): number {
  return Math.max(0, Math.ceil(n / MAX_X_LABELS) - 1);
}
