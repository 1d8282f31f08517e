'use client';

import { formatCount, formatPercentileBound } from '@/lib/acct/format.ts';
import {
  isBeyondBounds,
  LATENCY_BOUNDS_MS,
  type LatencyPercentile,
  type LatencyStats,
} from '@/lib/acct/latency.ts';
import { type BucketLinkProps, useBucketLinks } from './charts/bucket-links.ts';
import { LineChart } from './charts/line-chart.tsx';
import { durationTickLabel, durationTicks, timeAxis } from './charts/ticks.ts';

const LAST_BOUND_S = LATENCY_BOUNDS_MS[LATENCY_BOUNDS_MS.length - 1] / 1000;
/** A hair above the last bound: drawn where it is, read "more than" by the tooltip. */
const BEYOND_S = LAST_BOUND_S + 0.001;

/** A percentile in seconds; one in the overflow bucket just above the last bound. */
function seconds(stats: LatencyStats, p: LatencyPercentile): number | null {
  const ms = stats[p];
  if (ms === null) return null;
  return isBeyondBounds(stats, p) ? BEYOND_S : ms / 1000;
}

/**
 * A percentile as the tooltip reads it: at most its bucket's bound, as the cards and tables read
 * it (the tooltip showed the bare bound, and "3.0 d" for deliveries of 4 days, QA).
 */
const percentileLabel = (s: number) =>
  s > LAST_BOUND_S
    ? formatPercentileBound(LAST_BOUND_S * 1000, true)
    : formatPercentileBound(s * 1000, false);

/**
 * p50/p90/p99 delivery latency per bucket (gaps where nothing was delivered), on a symlog axis of
 * seconds: a p99 of hours beside a p50 of seconds, each line readable. The tooltip says how many
 * deliveries a bucket's percentiles are read from, and a click opens them (`filterQuery` carries
 * the screen's filters and latency=timed).
 */
export function LatencyChart(
  props: Omit<BucketLinkProps, 'points'> & { points: (LatencyStats & { t: string })[] },
) {
  const { points, tz } = props;
  const links = useBucketLinks(props);
  const data = points.map((p) => ({
    t: p.t,
    p50: seconds(p, 'p50'),
    p90: seconds(p, 'p90'),
    p99: seconds(p, 'p99'),
  }));
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
      valueFormatter={percentileLabel}
      {...timeAxis(points, tz)}
      yScale="symlog"
      yTicks={durationTicks(max)}
      yTickFormatter={durationTickLabel}
      onBucketClick={links.onBucketClick}
      tooltipTitle={(row, i) =>
        `${links.tooltipTitle(row, i)} · ${formatCount(points[i].count)} timed ${points[i].count === 1 ? 'delivery' : 'deliveries'}`
      }
    />
  );
}
