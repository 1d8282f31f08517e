import Link from 'next/link';
import { Suspense } from 'react';
import { BreakdownTable } from '@/components/breakdown-table.tsx';
import { FilterBar } from '@/components/filter-bar.tsx';
import { KpiCard } from '@/components/kpi-card.tsx';
import { LiveRefresh } from '@/components/live-refresh.tsx';
import { ParamErrorMessage } from '@/components/param-error.tsx';
import { RecordsOverTime } from '@/components/records-over-time.tsx';
import { FILTER_LABELS, type FilterName } from '@/lib/filter-labels.ts';
import {
  type Filters,
  ParamError,
  parseFilters,
  parseTimeZone,
  RANGE_PRESETS,
  single,
} from '@/lib/filters.ts';
import { chooseBucket } from '@/lib/queries/buckets.ts';
import { previousPeriod, relativeChange } from '@/lib/queries/compare.ts';
import type { Dimension } from '@/lib/queries/count-query.ts';
import { getBreakdown } from '@/lib/queries/get-breakdown.ts';
import { getSummary } from '@/lib/queries/get-summary.ts';
import { getTimeseries } from '@/lib/queries/get-timeseries.ts';
import { toSearchParams, withSearchParams } from '@/lib/search-params.ts';

export const dynamic = 'force-dynamic';

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

async function SummaryCards({ filters }: { filters: Filters }) {
  const [{ counts, rates, from, to }, previous] = await Promise.all([
    getSummary(filters),
    getSummary(previousPeriod(filters)),
  ]);
  const change = (k: keyof typeof counts) => relativeChange(counts[k], previous.counts[k]);
  return (
    <>
      <p className="mb-4 text-sm text-gray-500 dark:text-gray-400">
        {from} → {to} (UTC, half-open)
      </p>
      <div className="grid grid-cols-2 gap-4 md:grid-cols-4">
        <KpiCard
          label="Delivered"
          value={counts.delivered}
          change={change('delivered')}
          rate={rates.delivery}
          rateLabel="delivery rate"
        />
        <KpiCard
          label="Bounced"
          value={counts.bounced}
          change={change('bounced')}
          rate={rates.bounce}
          rateLabel="bounce rate"
        />
        <KpiCard label="Deferred" value={counts.deferred} change={change('deferred')} />
        <KpiCard
          label="Complaints"
          value={counts.complaints}
          rate={rates.complaint}
          rateLabel="complaint rate"
        />
        <KpiCard label="Queue deferred" value={counts.queueDeferred} />
        <KpiCard label="Received" value={counts.received} />
        <KpiCard label="Remote bounced" value={counts.remoteBounced} />
        <KpiCard label="Remote status" value={counts.remoteStatus} />
      </div>
    </>
  );
}

async function Timeline({
  filters,
  tz: zone,
  filterQuery,
}: {
  filters: Filters;
  tz: string;
  filterQuery: string;
}) {
  const { points, tz, to } = await getTimeseries(filters, chooseBucket(filters.from, filters.to), zone);
  return (
    <section
      aria-label="Records over time"
      className="rounded-lg border border-gray-200 bg-white p-4 shadow-sm dark:border-gray-800 dark:bg-gray-900"
    >
      <h2 className="mb-2 text-sm font-medium text-gray-600 dark:text-gray-300">Records over time ({tz})</h2>
      <RecordsOverTime points={points} tz={tz} to={to} filterQuery={filterQuery} />
    </section>
  );
}

const TOP: { by: Dimension; title: string }[] = [
  { by: 'provider', title: 'Top providers' },
  { by: 'domain', title: 'Top domains' },
  { by: 'vmta', title: 'Top VirtualMTAs' },
];

async function TopTable({ filters, by, title }: { filters: Filters; by: Dimension; title: string }) {
  const { rows } = await getBreakdown(filters, by, 10);
  const range = `from=${filters.from.toISOString()}&to=${filters.to.toISOString()}`;
  return (
    <BreakdownTable
      title={title}
      rows={rows}
      recordsHref={(key) => `/records?${range}&type=d&${by}=${encodeURIComponent(key)}`}
    />
  );
}

const FILTER_NAMES = Object.keys(FILTER_LABELS) as FilterName[];

/** Values offered by each filter: the 50 largest in the range (the API takes any value). */
async function filterOptions(filters: Filters): Promise<Record<FilterName, string[]>> {
  const unfiltered: Filters = { ...filters, ...Object.fromEntries(FILTER_NAMES.map((n) => [n, []])) };
  const names = FILTER_NAMES;
  const lists = await Promise.all(
    names.map(async (name) =>
      (await getBreakdown(unfiltered, name, 50)).rows.map((r) => r.key).filter(Boolean),
    ),
  );
  return Object.fromEntries(names.map((n, i) => [n, lists[i].sort()])) as Record<FilterName, string[]>;
}

async function FilterBarWithOptions({ filters }: { filters: Filters }) {
  return <FilterBar options={await filterOptions(filters)} />;
}

/** The page's filters without the range, for links that set their own window. */
function filterQuery(params: URLSearchParams): string {
  const q = new URLSearchParams(params);
  for (const k of ['from', 'to', 'range', 'refresh', 'cursor']) q.delete(k);
  return q.toString();
}

/** `refresh=` seconds between live updates: 1–3600, default 10. */
function refreshSeconds(value: string | undefined): number {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 && n <= 3600 ? n : 10;
}

const panel = <div className="h-24 animate-pulse rounded-lg bg-gray-200 dark:bg-gray-800" />;

export default async function OverviewPage({ searchParams }: { searchParams: SearchParams }) {
  const params = toSearchParams(await searchParams);
  let filters: Filters;
  try {
    filters = parseFilters(params);
  } catch (error) {
    if (!(error instanceof ParamError)) throw error;
    return <ParamErrorMessage error={error} />;
  }
  let tz: string;
  try {
    tz = parseTimeZone(params);
  } catch {
    tz = 'UTC';
  }
  const key = params.toString();
  const active = single(params, 'from') ? null : (single(params, 'range') ?? '24h');
  return (
    <>
      <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
        <div className="flex items-center gap-4">
          <h1 className="text-xl font-semibold">Overview</h1>
          {/* Only a range that ends now can change: a fixed from/to is history. */}
          {single(params, 'to') ? null : (
            <LiveRefresh intervalMs={refreshSeconds(single(params, 'refresh')) * 1000} />
          )}
        </div>
        <nav aria-label="Range" className="flex gap-1 text-sm">
          {RANGE_PRESETS.map((r) => (
            <Link
              key={r}
              href={withSearchParams(params, { range: r, from: null, to: null })}
              aria-current={active === r ? 'page' : undefined}
              className={`rounded px-2 py-1 ${active === r ? 'bg-gray-900 text-white dark:bg-gray-100 dark:text-gray-900' : 'hover:bg-gray-200 dark:hover:bg-gray-800'}`}
            >
              {r}
            </Link>
          ))}
        </nav>
      </div>
      <Suspense key={`fb${key}`} fallback={<div className="mb-4 h-7" />}>
        <FilterBarWithOptions filters={filters} />
      </Suspense>
      <Suspense key={`kpi${key}`} fallback={panel}>
        <SummaryCards filters={filters} />
      </Suspense>
      <div className="mt-4">
        <Suspense key={`ts${key}`} fallback={panel}>
          <Timeline filters={filters} tz={tz} filterQuery={filterQuery(params)} />
        </Suspense>
      </div>
      <div className="mt-4 grid gap-4 lg:grid-cols-3">
        {TOP.map((t) => (
          <Suspense key={`${t.by}${key}`} fallback={panel}>
            <TopTable filters={filters} by={t.by} title={t.title} />
          </Suspense>
        ))}
      </div>
    </>
  );
}
