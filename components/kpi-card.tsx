import { formatCount, formatPercent } from '@/lib/acct/format.ts';

export function KpiCard({
  label,
  value,
  rate,
  rateLabel,
}: {
  label: string;
  value: number;
  rate?: number | null;
  rateLabel?: string;
}) {
  return (
    <section
      aria-label={label}
      className="rounded-lg border border-gray-200 bg-white p-4 shadow-sm dark:border-gray-800 dark:bg-gray-900"
    >
      <h2 className="text-sm font-medium text-gray-500 dark:text-gray-400">{label}</h2>
      <p
        className="mt-1 text-2xl font-semibold tabular-nums"
        data-testid={`kpi-${label.toLowerCase().replaceAll(' ', '-')}`}
      >
        {formatCount(value)}
      </p>
      {rateLabel ? (
        <p className="mt-1 text-xs text-gray-500 dark:text-gray-400">
          {rateLabel} {formatPercent(rate ?? null)}
        </p>
      ) : null}
    </section>
  );
}
