'use client';

import {
  Legend,
  Line,
  LineChart as RechartsLineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  YAxis,
} from 'recharts';
import { useBucketOpening } from './bucket-opening.tsx';
import { linearTicks, X_LABEL_OVERHANG } from './ticks.ts';
import { gridAndTimeAxis } from './time-axis.tsx';
import { useWidth } from './use-width.ts';

type Row = Record<string, number | string | null>;

export interface LineChartProps {
  data: Row[];
  index: string;
  categories: { key: string; label: string; color: string }[];
  valueFormatter?: (v: number) => string;
  indexFormatter?: (v: string) => string;
  /** The x values to label (roundTimeTicks); without them every k-th bucket is labelled. */
  xTicks?: string[] | null;
  /**
   * Horizontal lines such as limits (0.1 %, 0.3 %), named in a key under the chart: a label inside
   * the plot sat under the line wherever the line crossed it.
   */
  referenceLines?: { y: number; label: string; color: string }[];
  height?: number;
  /**
   * 'symlog': logarithmic away from zero, linear near it (values of very different sizes, zero
   * included), with `yTicks` giving the labelled values; the last one tops the axis.
   */
  yScale?: 'linear' | 'symlog';
  yTicks?: number[];
  /** The y axis' labels, given the axis' ticks (default: valueFormatter, which the tooltip uses). */
  yTickFormatter?: (v: number, ticks: readonly number[]) => string;
  /** What the tooltip adds after a value, from its row: the counts behind a rate. */
  valueDetail?: (row: Row) => string;
  /** The tooltip's title for a row (default: its index formatted as on the axis). */
  tooltipTitle?: (row: Row, index: number) => string;
  /** Called with the row of the bucket that was clicked. */
  onBucketClick?: (row: Row, index: number) => void;
}

/** Generic lines over Recharts; a null value leaves a gap (no data is not zero). */
export function LineChart({
  data,
  index,
  categories,
  valueFormatter = (v) => String(v),
  indexFormatter = (v) => v,
  xTicks,
  referenceLines = [],
  height = 260,
  yScale = 'linear',
  yTicks,
  yTickFormatter = valueFormatter,
  valueDetail,
  tooltipTitle,
  onBucketClick,
}: LineChartProps) {
  const [widthRef, width] = useWidth<HTMLDivElement>();
  // A linear axis reaches past the highest value and a little past the highest reference line.
  const highest = Math.max(
    0,
    ...referenceLines.map((r) => r.y * 1.2),
    ...data.flatMap((row) => categories.map((c) => Number(row[c.key] ?? 0))).filter(Number.isFinite),
  );
  const ticks = yTicks ?? (yScale === 'linear' ? linearTicks(highest) : undefined);
  const buckets = useBucketOpening(data, data, onBucketClick);
  return (
    <div className="w-full" ref={widthRef}>
      <div style={{ height }} {...buckets.group}>
        <ResponsiveContainer width="100%" height="100%">
          <RechartsLineChart
            data={data}
            margin={{ top: 8, right: X_LABEL_OVERHANG, bottom: 0, left: 8 }}
            {...buckets.chart}
          >
            {gridAndTimeAxis({ index, indexFormatter, xTicks, buckets: data.length, width })}
            {buckets.tracker}
            <YAxis
              tickFormatter={(v: number) => yTickFormatter(v, ticks ?? [])}
              fontSize={12}
              width={72}
              scale={yScale}
              ticks={ticks}
              domain={ticks?.length ? [0, ticks[ticks.length - 1]] : [0, 'auto']}
            />
            <Tooltip
              // A bucket without a value still says what it holds (a complaint in a minute of no
              // deliveries reads '– (1 of 0 delivered)'), and can be clicked.
              filterNull={false}
              labelFormatter={(v, payload) => {
                const i = data.indexOf(payload?.[0]?.payload as Row);
                return tooltipTitle && i >= 0 ? tooltipTitle(data[i], i) : indexFormatter(String(v));
              }}
              formatter={(value, name, item) => {
                const shown = value === null ? '–' : valueFormatter(Number(value));
                const row = (item as { payload?: Row } | undefined)?.payload;
                return [valueDetail && row ? `${shown} (${valueDetail(row)})` : shown, name];
              }}
            />
            <Legend />
            {referenceLines.map((r) => (
              <ReferenceLine key={r.label} y={r.y} stroke={r.color} strokeDasharray="4 4" />
            ))}
            {categories.map((c) => (
              <Line
                key={c.key}
                dataKey={c.key}
                name={c.label}
                stroke={c.color}
                dot={false}
                strokeWidth={2}
                connectNulls={false}
                isAnimationActive={false}
              />
            ))}
          </RechartsLineChart>
        </ResponsiveContainer>
      </div>
      {referenceLines.length > 0 && (
        <ul
          aria-label="Reference lines"
          className="mt-1 flex flex-wrap justify-center gap-x-5 gap-y-1 text-xs"
        >
          {referenceLines.map((r) => (
            <li key={r.label} className="flex items-center gap-1.5" style={{ color: r.color }}>
              <svg width="20" height="4" aria-hidden="true">
                <line x1="0" y1="2" x2="20" y2="2" stroke={r.color} strokeWidth="2" strokeDasharray="4 4" />
              </svg>
              {r.label}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
