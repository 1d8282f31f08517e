'use client';

import { useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

type Row = Record<string, number | string>;

export interface StackedBarChartProps {
  data: Row[];
  /** The key of the x value in each row. */
  index: string;
  categories: { key: string; label: string; color: string }[];
  valueFormatter?: (v: number) => string;
  indexFormatter?: (v: string) => string;
  height?: number;
  /** Called with the row of the bucket that was clicked. */
  onBucketClick?: (row: Row, index: number) => void;
}

/** Generic stacked bars over Recharts (tremor-style props); domain charts only reshape data. */
export function StackedBarChart({
  data,
  index,
  categories,
  valueFormatter = (v) => String(v),
  indexFormatter = (v) => v,
  height = 280,
  onBucketClick,
}: StackedBarChartProps) {
  // A click on a legend entry hides or shows its series (a rare type next to a large one).
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const toggle = (key: string) =>
    setHidden((h) => {
      const next = new Set(h);
      if (!next.delete(key)) next.add(key);
      return next;
    });
  return (
    <div style={{ height }} className="w-full">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart
          data={data}
          margin={{ top: 8, right: 8, bottom: 0, left: 8 }}
          style={onBucketClick ? { cursor: 'pointer' } : undefined}
          onClick={(state) => {
            const i = Number(state?.activeTooltipIndex);
            if (onBucketClick && Number.isInteger(i) && data[i]) onBucketClick(data[i], i);
          }}
        >
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="currentColor" strokeOpacity={0.15} />
          <XAxis dataKey={index} tickFormatter={indexFormatter} minTickGap={24} fontSize={12} />
          <YAxis tickFormatter={(v: number) => valueFormatter(v)} fontSize={12} width={64} />
          <Tooltip
            labelFormatter={(v) => indexFormatter(String(v))}
            formatter={(value, name) => [valueFormatter(Number(value)), name]}
          />
          <Legend
            onClick={(entry) => toggle(String(entry.dataKey))}
            wrapperStyle={{ cursor: 'pointer' }}
            itemSorter={(item) => categories.findIndex((c) => c.key === item.dataKey)}
            formatter={(value, entry) => (
              <span style={{ opacity: hidden.has(String(entry.dataKey)) ? 0.4 : 1 }}>{value}</span>
            )}
          />
          {categories.map((c) => (
            <Bar
              key={c.key}
              dataKey={c.key}
              name={c.label}
              stackId="records"
              fill={c.color}
              hide={hidden.has(c.key)}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
