'use client';

import { useRouter } from 'next/navigation';
import { bucketLabel, formatRange } from '@/lib/acct/format.ts';
import { type Bucket, bucketInRange } from '@/lib/queries/buckets.ts';

/** A time chart's buckets over a range, and the filters a click on one keeps. */
export interface BucketLinkProps {
  points: { t: string }[];
  tz: string;
  /** The series' bucket. */
  bucket: Bucket;
  /** Start of the range (the first bucket's counts start there, though it is labelled by its start). */
  from: string;
  /** End of the range (the last bucket ends there). */
  to: string;
  /** The records explorer's query without from/to (the page's filters, the types charted). */
  filterQuery: string;
}

/**
 * A bar chart's tooltip title and click for buckets that open their records: exactly what bar i
 * counts, its bucket's part of the range. A bucket the range cuts (its first or last) says so.
 */
export function useBucketLinks({ points, tz, bucket, from, to, filterQuery }: BucketLinkProps) {
  const router = useRouter();
  const label = bucketLabel(tz);
  const window = (i: number) =>
    bucketInRange(new Date(points[i].t), bucket, tz, new Date(from), new Date(to));
  return {
    tooltipTitle: (_: unknown, i: number) => {
      const w = window(i);
      return w.partial
        ? `${label(points[i].t)}, only ${formatRange(w.start.toISOString(), w.end.toISOString(), tz)}`
        : label(points[i].t);
    },
    onBucketClick: (_: unknown, i: number) => {
      const w = window(i);
      router.push(
        `/records?${filterQuery}${filterQuery ? '&' : ''}from=${w.start.toISOString()}&to=${w.end.toISOString()}`,
      );
    },
  };
}
