import { CartesianGrid, XAxis } from 'recharts';
import { thinTicks, X_LABEL_OVERHANG, xLabelsFor, xTickInterval } from './ticks.ts';

/**
 * The horizontal grid lines and the time x axis of every time chart, as children of a Recharts
 * chart: `xTicks` (roundTimeTicks) names the buckets to label, else every k-th of `buckets` is.
 */
export function gridAndTimeAxis({
  index,
  indexFormatter,
  xTicks,
  buckets,
  width = null,
}: {
  index: string;
  indexFormatter: (v: string) => string;
  xTicks?: string[] | null;
  buckets: number;
  /** The chart's width in px once measured (useWidth): fewer labels on a narrow chart. */
  width?: number | null;
}) {
  // The plot is the chart less its y axis (64 px) and margins (8 + X_LABEL_OVERHANG).
  const max = xLabelsFor(width === null ? null : width - 72 - X_LABEL_OVERHANG);
  return [
    <CartesianGrid
      key="grid"
      strokeDasharray="3 3"
      vertical={false}
      stroke="currentColor"
      strokeOpacity={0.15}
    />,
    <XAxis
      key="x"
      dataKey={index}
      tickFormatter={indexFormatter}
      {...(xTicks
        ? { ticks: thinTicks(xTicks, max), interval: 0 }
        : { interval: xTickInterval(buckets, max) })}
      fontSize={12}
    />,
  ];
}
