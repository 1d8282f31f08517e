import Link from 'next/link';
import { Suspense } from 'react';
import { BreakdownTable } from '@/components/breakdown-table.tsx';
import { PanelBoundary } from '@/components/panel-boundary.tsx';
import { ParamErrorMessage } from '@/components/param-error.tsx';
import { ParamError } from '@/lib/filters.ts';
import type { Dimension } from '@/lib/queries/count-query.ts';
import { topByOutcomes } from '@/lib/queries/get-breakdown.ts';
import { bucketRecordsQuery, recordsHref, type Screen } from '@/lib/screen-params.ts';
import { detailHref } from '@/lib/screens.ts';
import { toSearchParams } from '@/lib/search-params.ts';
import { IncidentBanner } from './_sections/incident-banner.tsx';
import { NoRecords } from './_sections/no-records.tsx';
import { ScreenHeader } from './_sections/screen-header.tsx';
import { getScreenBreakdown, parseCountScreen } from './_sections/shared-reads.ts';
import { Streamed } from './_sections/streamed.tsx';
import { SummaryCards } from './_sections/summary-cards.tsx';
import { Timeline } from './_sections/timeline.tsx';

export const dynamic = 'force-dynamic';

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const TOP: { by: Dimension; title: string; path: string }[] = [
  { by: 'provider', title: 'Top providers', path: '/providers' },
  { by: 'domain', title: 'Top domains', path: '/domains' },
  { by: 'vmta', title: 'Top VirtualMTAs', path: '/vmtas' },
];

async function TopTable({
  screen,
  top,
  query,
}: {
  screen: Screen;
  top: (typeof TOP)[number];
  query: string;
}) {
  const { filters } = screen;
  const { rows: all, totalRows } = await getScreenBreakdown(filters, top.by, Number.MAX_SAFE_INTEGER);
  const rows = topByOutcomes(all, 10);
  return (
    <BreakdownTable
      title={top.title}
      rows={rows}
      recordsHref={(key, type) => recordsHref(filters, { type, [top.by]: key })}
      detailHref={(key) => detailHref(top.by, key, query)}
      empty={<NoRecords />}
      dense
      footer={
        totalRows > 0 ? (
          <Link
            prefetch={false}
            href={`${top.path}?${query}`}
            className="mt-2 inline-block text-xs text-gray-500 hover:underline"
          >
            All {totalRows.toLocaleString('en-US')} →
          </Link>
        ) : null
      }
    />
  );
}

export default async function OverviewPage({ searchParams }: { searchParams: SearchParams }) {
  const params = toSearchParams(await searchParams);
  let screen: Screen;
  try {
    screen = await parseCountScreen(params);
  } catch (error) {
    if (!(error instanceof ParamError)) throw error;
    return <ParamErrorMessage error={error} />;
  }
  const key = params.toString();
  const query = new URLSearchParams(params);
  query.delete('cursor');
  return (
    <>
      <ScreenHeader title="Overview" screen={screen} stateKey={key} />
      {/* No skeleton: the banner only appears when something is wrong. */}
      <PanelBoundary title="Open incidents">
        <Suspense fallback={null}>
          <IncidentBanner tz={screen.tz} />
        </Suspense>
      </PanelBoundary>
      <Streamed title="KPIs" stateKey={`kpi${key}`}>
        <SummaryCards screen={screen} />
      </Streamed>
      <div className="mt-4">
        <Streamed title="Records over time" stateKey={`ts${key}`} height="h-80">
          <Timeline screen={screen} filterQuery={bucketRecordsQuery(screen.filters, {})} />
        </Streamed>
      </div>
      {/* Three across only where a third of the page holds a dense table's six columns (the
          page is 1280 px at most: at 1024–1279 px they overflowed); two across below that. */}
      <div className="mt-4 grid gap-4 md:grid-cols-2 xl:grid-cols-3">
        {TOP.map((t) => (
          <Streamed key={t.by} title={t.title} stateKey={`${t.by}${key}`} height="h-64">
            <TopTable screen={screen} top={t} query={query.toString()} />
          </Streamed>
        ))}
      </div>
    </>
  );
}
