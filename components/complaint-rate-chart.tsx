'use client';

import { formatCount, formatPercent } from '@/lib/acct/format.ts';
import { RECORD_COLORS } from '@/lib/acct/record-colors.ts';
import type { Counts } from '@/lib/acct/types.ts';
import { COMPLAINT_LIMITS } from '@/lib/complaint-limits.ts';
import { type BucketLinkProps, useBucketLinks } from './charts/bucket-links.ts';
import { LineChart } from './charts/line-chart.tsx';
import { percentTickFormatter, timeAxis } from './charts/ticks.ts';

/**
 * Complaints / delivered per bucket, with the providers' limits drawn across; a bucket opens its
 * complaints (`filterQuery` carries the screen's filters and type f).
 */
export function ComplaintRateChart(
  props: Omit<BucketLinkProps, 'points'> & { points: { t: string; counts: Counts }[] },
) {
  const { points, tz } = props;
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
      {...useBucketLinks(props)}
    />
  );
}
