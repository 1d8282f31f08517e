import Link from 'next/link';
import { Suspense } from 'react';
import { FilterBar } from '@/components/filter-bar.tsx';
import { LiveRefresh } from '@/components/live-refresh.tsx';
import { MisspeltParams } from '@/components/misspelt-params.tsx';
import { RangeControls } from '@/components/range-controls.tsx';
import { formatRange } from '@/lib/acct/format.ts';
import type { Filters } from '@/lib/filters.ts';
import { getFilterOptions } from '@/lib/queries/get-filter-options.ts';
import type { Screen } from '@/lib/screen-params.ts';
import { getScreenBreakdown } from './shared-reads.ts';

/**
 * The filter bar with the values it offers (lib/queries/get-filter-options.ts). Without them (the
 * database is down) it still shows and changes the URL's choices: the panels say what failed,
 * and the screen stays usable, where the error used to replace the whole page.
 */
async function FilterBarWithOptions({ filters, pinned }: { filters: Filters; pinned?: Pinned }) {
  const { options, more } = await getFilterOptions(filters, getScreenBreakdown).catch(() => ({
    options: {},
    more: {},
  }));
  return <FilterBar options={options} more={more} pinned={pinned} />;
}

type Pinned = React.ComponentProps<typeof FilterBar>['pinned'];

/**
 * Every screen's top: title, live status, range (and bucket) controls and the one filter bar. `key`
 * (the URL) remounts the panels below it when the state changes.
 */
export function ScreenHeader({
  title,
  screen,
  stateKey,
  live = screen.live,
  liveHeld,
  bucketed = true,
  pinned,
  children,
}: {
  /** A detail page's own dimension and key (FilterBar). */
  pinned?: Pinned;
  title: React.ReactNode;
  screen: Screen;
  stateKey: string;
  /** Refresh on a timer (default: when the range ends now). */
  live?: boolean;
  /**
   * Why a range that ends now does not refresh here (`live` false), and the URL that does: said
   * in place of the live status, so a still screen is not taken for a live one.
   */
  liveHeld?: { reason: string; resumeHref: string; resumeLabel: string };
  /** Whether the screen has a time chart whose bucket the controls choose (records, lists: no). */
  bucketed?: boolean;
  children?: React.ReactNode;
}) {
  const { filters, tz } = screen;
  const from = filters.from.toISOString();
  const to = filters.to.toISOString();
  return (
    <>
      <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
        <div className="flex min-w-0 flex-wrap items-center gap-4">
          <h1 className="min-w-0 text-xl font-semibold wrap-anywhere">{title}</h1>
          {/* Only a range that ends now can change: a fixed from/to is history. */}
          {live ? (
            <LiveRefresh intervalMs={screen.refreshSeconds * 1000} />
          ) : liveHeld ? (
            <div className="flex items-center gap-2 text-xs text-gray-500 dark:text-gray-400">
              <span data-testid="live-status">Live updates paused: {liveHeld.reason}</span>
              <Link
                prefetch={false}
                href={liveHeld.resumeHref}
                className="rounded border border-gray-300 px-2 py-0.5 hover:bg-gray-100 dark:border-gray-700 dark:hover:bg-gray-800"
              >
                {liveHeld.resumeLabel}
              </Link>
            </div>
          ) : null}
          {children}
        </div>
        <RangeControls
          key={stateKey}
          from={from}
          to={to}
          tz={tz}
          bucketed={bucketed}
          minuteKeptFrom={Number.isFinite(screen.minuteKeptFrom) ? screen.minuteKeptFrom : undefined}
        />
      </div>
      <MisspeltParams />
      <Suspense key={`fb${stateKey}`} fallback={<div className="mb-4 h-7" />}>
        <FilterBarWithOptions filters={filters} pinned={pinned} />
      </Suspense>
      {/* The window itself, on every screen: a screenshot of a report says which day it covers
          (a custom range showed only "Custom…" on the lists). */}
      <p
        className="mb-4 text-sm text-gray-500 dark:text-gray-400"
        data-testid="range"
        title={`${from} → ${to}, half-open: from the first instant up to, not including, the last`}
      >
        {formatRange(from, to, tz)}
      </p>
    </>
  );
}
