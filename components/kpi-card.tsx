import { formatCount, formatPercent, formatPointChange } from '@/lib/acct/format.ts';
import { type Comparison, EQUAL_LENGTH } from '@/lib/queries/compare.ts';
import { CountLink } from './count-link.tsx';

/** The count's change vs the previous period, and the count it is measured from. */
function ChangeText({
  value,
  change,
  noChange,
  previous,
  label,
  comparison,
}: {
  value: number;
  change: number | null;
  noChange?: string;
  previous?: { n: number; href?: string };
  label: string;
  comparison: Comparison;
}) {
  // From none: the change in records, never a percentage of 0. "– vs previous period" hid the 0 it
  // was measured from, as if there were nothing to compare with (QA).
  if (previous?.n === 0)
    return value > 0 ? (
      <>
        ▲ +{formatCount(value)} vs 0 {comparison.phrase}
      </>
    ) : (
      <>no change: 0 {comparison.phrase}</>
    );
  if (change === null)
    return (
      <>
        – vs {comparison.name}
        {noChange ? ` (${noChange})` : ''}
      </>
    );
  const arrow = change > 0 ? '▲ +' : change < 0 ? '▼ ' : '';
  if (!previous)
    return (
      <>
        {arrow}
        {formatPercent(change)} vs {comparison.name}
      </>
    );
  return (
    <>
      {arrow}
      {formatPercent(change)} vs{' '}
      {previous.href && previous.n > 0 ? (
        <CountLink n={previous.n} href={previous.href} label={`${label} records ${comparison.phrase}`} />
      ) : (
        formatCount(previous.n)
      )}{' '}
      {comparison.phrase}
    </>
  );
}

export function KpiCard({
  label,
  value,
  rate,
  rateLabel,
  rateLimits,
  change,
  previous,
  previousRate,
  comparison = EQUAL_LENGTH,
  noChange,
  href,
  unavailable,
}: {
  label: string;
  value: number;
  /**
   * Why the filters cannot select these records at all (shown instead of a 0 that would read as
   * "none happened"): queue deferrals name a queue, never a pool or job.
   */
  unavailable?: string;
  /** The records explorer on exactly the records counted (the value links there when not 0). */
  href?: string;
  rate?: number | null;
  rateLabel?: string;
  /** Limits the rate is judged against: it is never rounded onto the other side of one. */
  rateLimits?: readonly number[];
  /** Relative change vs the previous period of equal length (null: nothing before to compare). */
  change?: number | null;
  /** The previous period's count the change is from, and its records (said beside the change). */
  previous?: { n: number; href?: string };
  /**
   * The previous period's rate (undefined: none shown): the rate's own change is said in
   * percentage points beside it. A count's change is not the rate's: 25 % fewer deliveries may
   * come with a better delivery rate.
   */
  previousRate?: number | null;
  /** What the change is against (default: the previous period of equal length). */
  comparison?: Comparison;
  /** Why there is no change to show, when it is not just an empty previous period. */
  noChange?: string;
}) {
  const slug = label.toLowerCase().replaceAll(' ', '-');
  const pointChange = previousRate === undefined ? null : formatPointChange(rate ?? null, previousRate);
  return (
    <section
      aria-label={label}
      className="rounded-lg border border-gray-200 bg-white p-4 shadow-sm dark:border-gray-800 dark:bg-gray-900"
    >
      <h2 className="text-sm font-medium text-gray-500 dark:text-gray-400">{label}</h2>
      <p className="mt-1 text-2xl font-semibold tabular-nums" data-testid={`kpi-${slug}`}>
        {unavailable ? (
          '–'
        ) : href && value > 0 ? (
          <CountLink n={value} href={href} label={`${label} records`} />
        ) : (
          formatCount(value)
        )}
      </p>
      {unavailable ? (
        <p className="mt-1 text-xs text-gray-500 dark:text-gray-400" data-testid={`unavailable-${slug}`}>
          {unavailable}
        </p>
      ) : null}
      {rateLabel ? (
        <p className="mt-1 text-xs text-gray-500 dark:text-gray-400">
          {rateLabel} {formatPercent(rate ?? null, rateLimits)}
          {pointChange ? (
            <>
              {' '}
              <span
                data-testid={`rate-change-${slug}`}
                title={`${rateLabel} ${formatPercent(previousRate ?? null, rateLimits)} ${comparison.phrase}`}
              >
                ({pointChange})
              </span>
            </>
          ) : null}
        </p>
      ) : null}
      {change !== undefined ? (
        <p className="mt-1 text-xs text-gray-500 dark:text-gray-400" data-testid={`change-${slug}`}>
          <ChangeText
            value={value}
            change={change}
            noChange={noChange}
            previous={previous}
            label={label}
            comparison={comparison}
          />
        </p>
      ) : null}
    </section>
  );
}
