'use client';

import { useRouter } from 'next/navigation';
import { formatCount } from '@/lib/acct/format.ts';
import { COUNT_LABELS, RECORD_COLORS } from '@/lib/acct/record-colors.ts';
import type { CountKey, Counts } from '@/lib/acct/types.ts';
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

/** Outcomes per time bucket, one colour per record type. */
export function RecordsOverTime({
  points,
  tz,
  to,
  filterQuery,
}: {
  points: { t: string; counts: Counts }[];
  tz: string;
  /** End of the range (the last bucket ends there). */
  to: string;
  /** The page's filters (without from/to), kept when a bucket opens its records. */
  filterQuery: string;
}) {
  const router = useRouter();
  const data = points.map((p) => ({ t: p.t, ...Object.fromEntries(SHOWN.map((k) => [k, p.counts[k]])) }));
  return (
    <StackedBarChart
      data={data}
      index="t"
      categories={SHOWN.map((k) => ({ key: k, label: COUNT_LABELS[k], color: RECORD_COLORS[k] }))}
      valueFormatter={formatCount}
      {...timeAxis(points, tz)}
      onBucketClick={(_, i) => {
        // Exactly the bucket's window: [its start, the next bucket's start or the range end).
        const end = points[i + 1]?.t ?? to;
        router.push(`/records?${filterQuery}${filterQuery ? '&' : ''}from=${points[i].t}&to=${end}`);
      }}
    />
  );
}
