'use client';

import { formatDuration } from '@/lib/acct/format.ts';
import { LineChart } from './charts/line-chart.tsx';
import { durationTickLabel, durationTicks, timeAxis } from './charts/ticks.ts';

const seconds = (ms: number | null) => (ms === null ? null : ms / 1000);

/**
 * p50/p90/p99 delivery latency per bucket (gaps where nothing was delivered), on a symlog axis of
 * seconds: a p99 of hours beside a p50 of seconds, each line readable.
 */
export function LatencyChart({
  points,
  tz,
}: {
  points: { t: string; p50: number | null; p90: number | null; p99: number | null }[];
  tz: string;
}) {
  const data = points.map((p) => ({ t: p.t, p50: seconds(p.p50), p90: seconds(p.p90), p99: seconds(p.p99) }));
  const max = Math.max(0, ...data.flatMap((p) => [p.p50 ?? 0, p.p90 ?? 0, p.p99 ?? 0]));
  return (
    <LineChart
      data={data}
      index="t"
      categories={[
        { key: 'p50', label: 'p50', color: '#16a34a' },
        { key: 'p90', label: 'p90', color: '#d97706' },
        { key: 'p99', label: 'p99', color: '#dc2626' },
      ]}
      valueFormatter={(s) => formatDuration(s * 1000)}
      {...timeAxis(points, tz)}
      yScale="symlog"
      yTicks={durationTicks(max)}
      yTickFormatter={durationTickLabel}
    />
  );
}
