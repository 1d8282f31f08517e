'use client';

import { formatCount } from '@/lib/acct/format.ts';
import { COUNT_LABELS, RECORD_COLORS } from '@/lib/acct/record-colors.ts';
import type { CountKey, Counts } from '@/lib/acct/types.ts';
import { type BucketLinkProps, useBucketLinks } from './charts/bucket-links.ts';
import { StackedBarChart } from './charts/stacked-bar-chart.tsx';
import { timeAxis } from './charts/ticks.ts';

/** Every record type, outcomes first (the legend hides any of them). */
const SHOWN: CountKey[] = [
  'delivered',
  'bounced',
  'deferred',
  'queueDeferred',
  'complaints',
  'remoteBounced',
  'remoteStatus',
  'received',
];

/** Outcomes per time bucket, one colour per record type; a bucket opens its records. */
export function RecordsOverTime(
  props: Omit<BucketLinkProps, 'points'> & { points: { t: string; counts: Counts }[] },
) {
  const { points, tz } = props;
  const data = points.map((p) => ({ t: p.t, ...Object.fromEntries(SHOWN.map((k) => [k, p.counts[k]])) }));
  return (
    <StackedBarChart
      data={data}
      index="t"
      categories={SHOWN.map((k) => ({ key: k, label: COUNT_LABELS[k], color: RECORD_COLORS[k] }))}
      valueFormatter={formatCount}
      {...timeAxis(points, tz)}
      {...useBucketLinks(props)}
    />
  );
}
