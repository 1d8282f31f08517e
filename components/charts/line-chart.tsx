'use client';

import {
  CartesianGrid,
  Legend,
  Line,
  LineChart as RechartsLineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { X_LABEL_OVERHANG, xTickInterval } from './ticks.ts';

type Row = Record<string, number | string | null>;

export interface LineChartProps {
  data: Row[];
  index: string;
  categories: { key: string; label: string; color: string }[];
  valueFormatter?: (v: number) => string;
  indexFormatter?: (v: string) => string;
  /** The x values to label (roundTimeTicks); without them every k-th bucket is labelled. */
  xTicks?: string[] | null;
  /** Horizontal lines such as limits (0.1 %, 0.3 %). */
  referenceLines?: { y: number; label: string; color: string }[];
  height?: number;
  /**
   * 'symlog': logarithmic away from zero, linear near it (values of very different sizes, zero
   * included), with `yTicks` giving the labelled values; the last one tops the axis.
   */
  yScale?: 'linear' | 'symlog';
  yTicks?: number[];
  /** The y axis' labels (default: valueFormatter, which the tooltip uses). */
  yTickFormatter?: (v: number) => string;
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
}: LineChartProps) {
  const top = Math.max(0, ...referenceLines.map((r) => r.y * 1.2));
  return (
    <div style={{ height }} className="w-full">
      <ResponsiveContainer width="100%" height="100%">
        <RechartsLineChart data={data} margin={{ top: 8, right: X_LABEL_OVERHANG, bottom: 0, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="currentColor" strokeOpacity={0.15} />
          <XAxis
            dataKey={index}
            tickFormatter={indexFormatter}
            {...(xTicks ? { ticks: xTicks, interval: 0 } : { interval: xTickInterval(data.length) })}
            fontSize={12}
          />
          <YAxis
            tickFormatter={(v: number) => yTickFormatter(v)}
            fontSize={12}
            width={72}
            scale={yScale}
            ticks={yTicks}
            domain={
              yTicks?.length ? [0, yTicks[yTicks.length - 1]] : [0, (max: number) => Math.max(max, top)]
            }
          />
          <Tooltip
            labelFormatter={(v) => indexFormatter(String(v))}
            formatter={(value, name) => [value === null ? '–' : valueFormatter(Number(value)), name]}
          />
          <Legend />
          {referenceLines.map((r) => (
            <ReferenceLine
              key={r.label}
              y={r.y}
              stroke={r.color}
              strokeDasharray="4 4"
              label={{ value: r.label, position: 'insideTopRight', fontSize: 11, fill: r.color }}
            />
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
  );
}
