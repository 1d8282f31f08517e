import { CartesianGrid, XAxis } from 'recharts';
import { xTickInterval } from './ticks.ts';

/**
 * The horizontal grid lines and the time x axis of every time chart, as children of a Recharts
 * chart: `xTicks` (roundTimeTicks) names the buckets to label, else every k-th of `buckets` is.
 */
export function gridAndTimeAxis({
  index,
  indexFormatter,
  xTicks,
  buckets,
}: {
  index: string;
  indexFormatter: (v: string) => string;
  xTicks?: string[] | null;
  buckets: number;
}) {
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
      {...(xTicks ? { ticks: xTicks, interval: 0 } : { interval: xTickInterval(buckets) })}
      fontSize={12}
    />,
  ];
}
