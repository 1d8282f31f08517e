'use client';

import { type RefObject, useEffect, useRef } from 'react';
import { useActiveTooltipDataPoints } from 'recharts';

/** Keeps `into` on the index in `rows` of the bucket the chart's tooltip shows (-1: none). */
function ActiveBucket<R>({ rows, into }: { rows: readonly R[]; into: RefObject<number> }) {
  const points = useActiveTooltipDataPoints<R>();
  const row = points?.[0];
  useEffect(() => {
    into.current = row === undefined ? -1 : rows.indexOf(row);
  }, [row, rows, into]);
  return null;
}

/**
 * How a time chart opens its buckets (either chart kind), with `onBucketClick` and the bucket's row
 * of `data`: a click on a bucket (Recharts reports the one under the pointer as its tooltip's
 * index), with the pointer cursor; and Enter on the bucket the arrow keys are on (they moved the
 * tooltip from bucket to bucket, and a keyboard user could read a bucket but not open its records).
 * `rows` is the data the chart draws (a row per bucket, in `data`'s order). Spread `chart` on the
 * Recharts chart and `group` on an element around it (it names the keys); render `tracker` inside
 * the chart.
 */
export function useBucketOpening<R, D>(
  rows: readonly R[],
  data: readonly D[],
  onBucketClick?: (row: D, index: number) => void,
) {
  const active = useRef(-1);
  const open = (i: number) => {
    if (!onBucketClick || !Number.isInteger(i) || i < 0 || data[i] === undefined) return false;
    onBucketClick(data[i], i);
    return true;
  };
  if (!onBucketClick) return { chart: {}, group: {}, tracker: null };
  return {
    chart: {
      style: { cursor: 'pointer' },
      onClick: (state: { activeTooltipIndex?: unknown } | null | undefined) => {
        open(Number(state?.activeTooltipIndex));
      },
    },
    group: {
      role: 'group',
      'aria-description': 'Arrow keys move from bucket to bucket; Enter opens the records of one.',
      onKeyDown: (e: React.KeyboardEvent) => {
        if (e.key === 'Enter' && open(active.current)) e.preventDefault();
      },
    },
    tracker: <ActiveBucket rows={rows} into={active} />,
  };
}
