'use client';

import { bucketLabel, formatDuration } from '@/lib/acct/format.ts';
import { LineChart } from './charts/line-chart.tsx';

/** p50/p90/p99 delivery latency per bucket (gaps where nothing was delivered). */
export function LatencyChart({
  points,
  tz,
}: {
  points: { t: string; p50: number | null; p90: number | null; p99: number | null }[];
  tz: string;
}) {
  return (
    <LineChart
      data={points.map((p) => ({ t: p.t, p50: p.p50, p90: p.p90, p99: p.p99 }))}
      index="t"
      categories={[
        { key: 'p50', label: 'p50', color: '#16a34a' },
        { key: 'p90', label: 'p90', color: '#d97706' },
        { key: 'p99', label: 'p99', color: '#dc2626' },
      ]}
      valueFormatter={formatDuration}
      indexFormatter={bucketLabel(tz)}
    />
  );
}
