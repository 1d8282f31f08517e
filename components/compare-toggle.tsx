'use client';

import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { withSearchParams } from '@/lib/search-params.ts';
import { rememberFocus } from './use-set-search-params.ts';

/**
 * What the KPI cards' changes are against: the period before (its name follows the range: "the
 * day before" for yesterday) or a week before (`compare=week`), offered on ranges up to 7 days.
 */
export function CompareToggle({
  previousName,
  weekName,
  week,
  weekApplies,
}: {
  /** The period before, as the cards name it ("previous period", "yesterday by this time"). */
  previousName: string;
  /** A week before, as the cards name it ("the same time last week"). */
  weekName: string;
  /** Whether `compare=week` is chosen. */
  week: boolean;
  /** Whether the range is short enough to be compared with a week before. */
  weekApplies: boolean;
}) {
  const params = useSearchParams();
  const item = (chosen: boolean, text: string, compare: string | null) => (
    <Link
      prefetch={false}
      href={withSearchParams(new URLSearchParams(params.toString()), { compare, cursor: null })}
      aria-current={chosen ? 'true' : undefined}
      onClick={() => rememberFocus()}
      className={`px-2 py-0.5 ${chosen ? 'bg-gray-900 text-white dark:bg-gray-100 dark:text-gray-900' : 'hover:bg-gray-100 dark:hover:bg-gray-800'}`}
    >
      {text}
    </Link>
  );
  const shownWeek = week && weekApplies;
  return (
    <div className="mb-2 flex flex-wrap items-center justify-end gap-2 text-xs text-gray-500 max-sm:justify-start dark:text-gray-400">
      <span id="compare-with">Changes vs</span>
      <nav
        aria-labelledby="compare-with"
        className="flex rounded border border-gray-300 dark:border-gray-700"
      >
        {item(!shownWeek, previousName, null)}
        {weekApplies ? (
          item(shownWeek, weekName, 'week')
        ) : (
          <span
            aria-disabled="true"
            title="Ranges over 7 days are compared with the period before them"
            className="cursor-not-allowed px-2 py-0.5 text-gray-400 dark:text-gray-600"
          >
            {weekName} (ranges up to 7 days)
          </span>
        )}
      </nav>
    </div>
  );
}
