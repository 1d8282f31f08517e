import { Suspense } from 'react';
import { KpiCard } from '@/components/kpi-card.tsx';
import { type Filters, ParamError, parseFilters } from '@/lib/filters.ts';
import { getSummary } from '@/lib/queries/get-summary.ts';

export const dynamic = 'force-dynamic';

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

function toParams(sp: Record<string, string | string[] | undefined>): URLSearchParams {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(sp)) for (const x of [v ?? []].flat()) params.append(k, x);
  return params;
}

async function SummaryCards({ params }: { params: URLSearchParams }) {
  let filters: Filters;
  try {
    filters = parseFilters(params);
  } catch (error) {
    if (!(error instanceof ParamError)) throw error;
    return (
      <p role="alert" className="text-sm text-red-700 dark:text-red-300">
        Invalid {error.param}: {error.message}
      </p>
    );
  }
  const { counts, rates, from, to } = await getSummary(filters);
  return (
    <>
      <p className="mb-4 text-sm text-gray-500 dark:text-gray-400">
        {from} → {to} (UTC, half-open)
      </p>
      <div className="grid grid-cols-2 gap-4 md:grid-cols-4">
        <KpiCard label="Delivered" value={counts.delivered} rate={rates.delivery} rateLabel="delivery rate" />
        <KpiCard label="Bounced" value={counts.bounced} rate={rates.bounce} rateLabel="bounce rate" />
        <KpiCard label="Deferred" value={counts.deferred} />
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

export default async function OverviewPage({ searchParams }: { searchParams: SearchParams }) {
  const params = toParams(await searchParams);
  return (
    <>
      <h1 className="mb-2 text-xl font-semibold">Overview</h1>
      <Suspense key={params.toString()} fallback={<p className="text-sm text-gray-500">Loading counts…</p>}>
        <SummaryCards params={params} />
      </Suspense>
    </>
  );
}
