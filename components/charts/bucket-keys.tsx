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
 * Enter opens the bucket the keyboard is on, as a click on it does: the arrow keys moved the
 * chart's tooltip from bucket to bucket, and a keyboard user could read a bucket but not open its
 * records. `rows` is the data the chart draws (a row per bucket, in `data`'s order); spread
 * `group` on an element around the chart (it names the keys) and render `tracker` inside the chart.
 */
export function useBucketKeys<R, D>(
  rows: readonly R[],
  data: readonly D[],
  onBucketClick?: (row: D, index: number) => void,
) {
  const active = useRef(-1);
  return {
    group: onBucketClick
      ? {
          role: 'group',
          'aria-description': 'Arrow keys move from bucket to bucket; Enter opens the records of one.',
          onKeyDown: (e: React.KeyboardEvent) => {
            const i = active.current;
            if (e.key !== 'Enter' || i < 0 || data[i] === undefined) return;
            e.preventDefault();
            onBucketClick(data[i], i);
          },
        }
      : {},
    tracker: onBucketClick ? <ActiveBucket rows={rows} into={active} /> : null,
  };
}
