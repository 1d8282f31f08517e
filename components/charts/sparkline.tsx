/** One line of a sparkline: its values and colour. */
export interface SparklineSeries {
  label: string;
  values: number[];
  color: string;
  /** The records the line stands for, when the values are not counts (paced edge buckets). */
  total?: number;
}

/**
 * A tiny inline chart (plain SVG, no client code: a table may hold a hundred of them). All series
 * share one scale so their heights compare; the title gives the totals for screen readers.
 */
export function Sparkline({
  series,
  width = 120,
  height = 28,
}: {
  series: SparklineSeries[];
  width?: number;
  height?: number;
}) {
  const n = Math.max(0, ...series.map((s) => s.values.length));
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const x = (i: number) => (n <= 1 ? width / 2 : (i / (n - 1)) * (width - 2) + 1);
  const y = (v: number) => height - 1 - (v / max) * (height - 2);
  const title = series.map((s) => `${s.label} ${s.total ?? s.values.reduce((a, b) => a + b, 0)}`).join(', ');
  return (
    <svg
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={`Trend: ${title}`}
      className="overflow-visible"
    >
      <title>{title}</title>
      {series.map((s) => (
        <polyline
          key={s.label}
          fill="none"
          stroke={s.color}
          strokeWidth={1.5}
          strokeLinejoin="round"
          points={s.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}
        />
      ))}
    </svg>
  );
}
