'use client';

import { formatCount } from '@/lib/acct/format.ts';
import { RECORD_COLORS } from '@/lib/acct/record-colors.ts';
import { type BucketLinkProps, useBucketLinks } from './charts/bucket-links.ts';
import { StackedBarChart } from './charts/stacked-bar-chart.tsx';
import { timeAxis } from './charts/ticks.ts';

export const BOUNCE_COLORS = {
  hard: '#b91c1c',
  soft: '#f97316',
  expired: '#a855f7',
  remote: RECORD_COLORS.remoteBounced,
} as const;

/**
 * Hard, soft (without expired), expired and remote bounces per bucket; a bucket opens its bounces
 * (`filterQuery` selects b and rb). The stacked parts are disjoint: the soft bar is labelled
 * "not expired", where the screen's soft card counts expired bounces in.
 */
export function BouncesOverTime(
  props: Omit<BucketLinkProps, 'points'> & {
    points: { t: string; hard: number; soft: number; expired: number; remote: number }[];
  },
) {
  const { points, tz } = props;
  const data = points.map((p) => ({
    t: p.t,
    hard: p.hard,
    soft: p.soft - p.expired,
    expired: p.expired,
    remote: p.remote,
  }));
  return (
    <StackedBarChart
      data={data}
      index="t"
      categories={[
        { key: 'hard', label: 'Hard', color: BOUNCE_COLORS.hard },
        { key: 'soft', label: 'Soft (not expired)', color: BOUNCE_COLORS.soft },
        { key: 'expired', label: 'Message expired', color: BOUNCE_COLORS.expired },
        { key: 'remote', label: 'Remote (rb)', color: BOUNCE_COLORS.remote },
      ]}
      valueFormatter={formatCount}
      {...timeAxis(points, tz)}
      {...useBucketLinks(props)}
    />
  );
}
