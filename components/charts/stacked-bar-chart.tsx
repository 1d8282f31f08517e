'use client';

import { useMemo, useState } from 'react';
import { Bar, BarChart, type BarShapeProps, ResponsiveContainer, Tooltip, YAxis } from 'recharts';
import { useBucketOpening } from './bucket-opening.tsx';
import { X_LABEL_OVERHANG } from './ticks.ts';
import { gridAndTimeAxis } from './time-axis.tsx';
import { useWidth } from './use-width.ts';

type Row = Record<string, number | string>;
type Category = { key: string; label: string; color: string };

export interface StackedBarChartProps {
  data: Row[];
  /** The key of the x value in each row. */
  index: string;
  categories: Category[];
  valueFormatter?: (v: number) => string;
  indexFormatter?: (v: string) => string;
  /** The tooltip's title for a row (default: its index formatted as on the axis). */
  tooltipTitle?: (row: Row, index: number) => string;
  /** The x values to label (roundTimeTicks); without them every k-th bucket is labelled. */
  xTicks?: string[] | null;
  height?: number;
  /** Called with the row of the bucket that was clicked. */
  onBucketClick?: (row: Row, index: number) => void;
}

/** The key of a row's sum over the shown categories (the one series Recharts scales and draws). */
const TOTAL = '__total';

const value = (row: Row, key: string) => Number(row[key]) || 0;

/**
 * One bucket's whole stack as plain rects, cut from the bar of its total: the y axis is linear
 * from 0, so a category's share of the bar's height is its share of the total. Recharts draws one
 * shape per bucket instead of one per bucket and category: a 7-day hourly overview drew 1,344
 * segments through Recharts' per-bar components in a ~1.2 s task, ~0.3 s with one series.
 */
function drawStack({ x, y, width, height, payload }: BarShapeProps, categories: Category[]) {
  const row = payload as Row;
  const total = value(row, TOTAL);
  if (!width || !height || !total) return <g />;
  const top = Math.min(y, y + height);
  const full = Math.abs(height);
  const bottom = top + full;
  const rects: React.ReactNode[] = [];
  let below = 0;
  for (const c of categories) {
    const v = value(row, c.key);
    if (v <= 0) continue;
    // Cumulative edges, so rounding never leaves a gap between two segments.
    const lo = bottom - (full * below) / total;
    below += v;
    const hi = bottom - (full * below) / total;
    rects.push(
      <rect
        key={c.key}
        x={width < 0 ? x + width : x}
        y={hi}
        width={Math.abs(width)}
        height={lo - hi}
        fill={c.color}
      />,
    );
  }
  return <g>{rects}</g>;
}

/** Every category of the hovered bucket, in stack order (bottom first). */
function StackTooltip({
  row,
  title,
  categories,
  valueFormatter,
}: {
  row: Row;
  title: string;
  categories: Category[];
  valueFormatter: (v: number) => string;
}) {
  return (
    <div className="rounded border border-gray-200 bg-white px-3 py-2 text-xs shadow dark:border-gray-700 dark:bg-gray-900">
      <p className="mb-1 font-medium">{title}</p>
      <table>
        <tbody>
          {categories.map((c) => (
            <tr key={c.key}>
              <td className="pr-3">
                <span className="mr-1 inline-block size-2 rounded-sm" style={{ background: c.color }} />
                {c.label}
              </td>
              <td className="text-right tabular-nums">{valueFormatter(value(row, c.key))}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Generic stacked bars over Recharts (tremor-style props); domain charts only reshape data. */
export function StackedBarChart({
  data,
  index,
  categories,
  valueFormatter = (v) => String(v),
  indexFormatter = (v) => v,
  tooltipTitle,
  xTicks,
  height = 280,
  onBucketClick,
}: StackedBarChartProps) {
  const [widthRef, width] = useWidth<HTMLDivElement>();
  // A click on a legend entry hides or shows its series (a rare type next to a large one).
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const toggle = (key: string) =>
    setHidden((h) => {
      const next = new Set(h);
      if (!next.delete(key)) next.add(key);
      return next;
    });
  const shown = useMemo(() => categories.filter((c) => !hidden.has(c.key)), [categories, hidden]);
  const rows = useMemo(
    () => data.map((row) => ({ ...row, [TOTAL]: shown.reduce((s, c) => s + value(row, c.key), 0) })),
    [data, shown],
  );
  const buckets = useBucketOpening(rows, data, onBucketClick);
  return (
    <div className="w-full" ref={widthRef}>
      <div style={{ height }} className="w-full" {...buckets.group}>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart
            data={rows}
            margin={{ top: 8, right: X_LABEL_OVERHANG, bottom: 0, left: 8 }}
            {...buckets.chart}
          >
            {gridAndTimeAxis({ index, indexFormatter, xTicks, buckets: data.length, width })}
            {buckets.tracker}
            <YAxis
              tickFormatter={(v: number) => valueFormatter(v)}
              fontSize={12}
              width={64}
              allowDecimals={false}
            />
            <Tooltip
              content={({ active, payload, label }) => {
                const row = active ? (payload?.[0]?.payload as Row | undefined) : undefined;
                if (!row) return null;
                const i = rows.indexOf(row as (typeof rows)[number]);
                return (
                  <StackTooltip
                    row={row}
                    title={tooltipTitle && i >= 0 ? tooltipTitle(data[i], i) : indexFormatter(String(label))}
                    categories={shown}
                    valueFormatter={valueFormatter}
                  />
                );
              }}
            />
            <Bar
              dataKey={TOTAL}
              isAnimationActive={false}
              shape={(props: BarShapeProps) => drawStack(props, shown)}
            />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <ul className="mt-1 flex flex-wrap justify-center gap-x-4 gap-y-1 text-xs" aria-label="Series">
        {categories.map((c) => (
          <li key={c.key}>
            <button
              type="button"
              aria-pressed={!hidden.has(c.key)}
              onClick={() => toggle(c.key)}
              className={`flex items-center gap-1 rounded px-1 hover:bg-gray-100 dark:hover:bg-gray-800 ${hidden.has(c.key) ? 'opacity-40' : ''}`}
            >
              <span className="inline-block size-2.5 rounded-sm" style={{ background: c.color }} />
              {c.label}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
