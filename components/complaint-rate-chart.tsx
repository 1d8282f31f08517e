'use client';

import { formatCount, formatPercent } from '@/lib/acct/format.ts';
import { RECORD_COLORS } from '@/lib/acct/record-colors.ts';
import type { Counts } from '@/lib/acct/types.ts';
import { COMPLAINT_LIMITS } from '@/lib/complaint-limits.ts';
import { LineChart } from './charts/line-chart.tsx';
import { percentTickFormatter, timeAxis } from './charts/ticks.ts';

/** Complaints / delivered per bucket, with the providers' limits drawn across. */
export function ComplaintRateChart({ points, tz }: { points: { t: string; counts: Counts }[]; tz: string }) {
  const data = points.map((p) => ({
    t: p.t,
    rate: p.counts.delivered === 0 ? null : p.counts.complaints / p.counts.delivered,
    complaints: p.counts.complaints,
    delivered: p.counts.delivered,
  }));
  return (
    <LineChart
      // A bucket of a hundred deliveries reads 1 % with one complaint: the tooltip says how many.
      valueDetail={(row) =>
        `${formatCount(Number(row.complaints))} of ${formatCount(Number(row.delivered))} delivered`
      }
      data={data}
      index="t"
      categories={[{ key: 'rate', label: 'Complaint rate', color: RECORD_COLORS.complaints }]}
      valueFormatter={(v) => formatPercent(v)}
      yTickFormatter={(v, ticks) => percentTickFormatter(ticks)(v)}
      {...timeAxis(points, tz)}
      referenceLines={COMPLAINT_LIMITS.map((l) => ({
        y: l.rate,
        label: l.label,
        color: l.level === 'critical' ? '#dc2626' : '#d97706',
      }))}
    />
  );
}
