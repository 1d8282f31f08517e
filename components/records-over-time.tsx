'use client';

import { useRouter } from 'next/navigation';
import { bucketLabel, formatCount, formatRange } from '@/lib/acct/format.ts';
import { COUNT_LABELS, RECORD_COLORS } from '@/lib/acct/record-colors.ts';
import type { CountKey, Counts } from '@/lib/acct/types.ts';
import { type Bucket, bucketInRange } from '@/lib/queries/buckets.ts';
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
  bucket,
  from,
  to,
  filterQuery,
}: {
  points: { t: string; counts: Counts }[];
  tz: string;
  /** The series' bucket. */
  bucket: Bucket;
  /** Start of the range (the first bucket's counts start there, though it is labelled by its start). */
  from: string;
  /** End of the range (the last bucket ends there). */
  to: string;
  /** The page's filters (without from/to), kept when a bucket opens its records. */
  filterQuery: string;
}) {
  const router = useRouter();
  const data = points.map((p) => ({ t: p.t, ...Object.fromEntries(SHOWN.map((k) => [k, p.counts[k]])) }));
  const label = bucketLabel(tz);
  // Exactly what bar i counts: its bucket's part of the range.
  const window = (i: number) =>
    bucketInRange(new Date(points[i].t), bucket, tz, new Date(from), new Date(to));
  return (
    <StackedBarChart
      data={data}
      index="t"
      categories={SHOWN.map((k) => ({ key: k, label: COUNT_LABELS[k], color: RECORD_COLORS[k] }))}
      valueFormatter={formatCount}
      {...timeAxis(points, tz)}
      tooltipTitle={(_, i) => {
        // A bucket the range cuts (its first or last) counts only its part in the range: say so.
        const w = window(i);
        return w.partial
          ? `${label(points[i].t)}, only ${formatRange(w.start.toISOString(), w.end.toISOString(), tz)}`
          : label(points[i].t);
      }}
      onBucketClick={(_, i) => {
        const w = window(i);
        router.push(
          `/records?${filterQuery}${filterQuery ? '&' : ''}from=${w.start.toISOString()}&to=${w.end.toISOString()}`,
        );
      }}
    />
  );
}
