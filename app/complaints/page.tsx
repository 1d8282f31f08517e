import { ComplaintRateChart } from '@/components/complaint-rate-chart.tsx';
import { type ComplaintRow, ComplaintTable } from '@/components/complaint-table.tsx';
import { KpiCard } from '@/components/kpi-card.tsx';
import { Panel } from '@/components/panel.tsx';
import { ParamErrorMessage } from '@/components/param-error.tsx';
import { formatCount } from '@/lib/acct/format.ts';
import {
  COMPLAINT_LIMIT_RATES,
  COMPLAINT_LIMITS,
  complaintStatus,
  parseMinDelivered,
} from '@/lib/complaint-limits.ts';
import { ParamError } from '@/lib/filters.ts';
import type { Dimension } from '@/lib/queries/count-query.ts';
import { bucketRecordsQuery, carriedQuery, recordsHref, type Screen } from '@/lib/screen-params.ts';
import { DIMENSION_LABELS, detailHref } from '@/lib/screens.ts';
import { toSearchParams } from '@/lib/search-params.ts';
import { NoRecords } from '../_sections/no-records.tsx';
import { ScreenHeader } from '../_sections/screen-header.tsx';
import {
  getScreenBreakdown,
  getScreenSeries,
  getScreenSummary,
  parseCountScreen,
} from '../_sections/shared-reads.ts';
import { Streamed } from '../_sections/streamed.tsx';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Complaints · acctscope' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const BY: Dimension[] = ['provider', 'domain', 'vmta', 'pool', 'job'];

async function ComplaintKpis({ screen, minDelivered }: { screen: Screen; minDelivered: number }) {
  const { counts, rates } = await getScreenSummary(screen.filters, screen.bucket, screen.tz);
  const status = complaintStatus(counts.complaints, counts.delivered, minDelivered);
  return (
    <div className="grid grid-cols-2 gap-4 md:grid-cols-3">
      <KpiCard
        label="Complaints"
        value={counts.complaints}
        href={recordsHref(screen.filters, { type: 'f' })}
        rate={rates.complaint}
        rateLabel="complaint rate"
        rateLimits={COMPLAINT_LIMIT_RATES}
      />
      <KpiCard label="Delivered" value={counts.delivered} href={recordsHref(screen.filters, { type: 'd' })} />
      <Panel title="Against the limits">
        <p className="text-sm" data-testid="complaint-status">
          {status === 'critical'
            ? 'Over 0.3 %: providers will block or junk this mail.'
            : status === 'warning'
              ? 'Over 0.1 %: above what Gmail and Yahoo ask bulk senders to stay under.'
              : status === 'ok'
                ? 'Under 0.1 %.'
                : status === 'low-volume'
                  ? `Fewer than ${minDelivered.toLocaleString('en-US')} deliveries: too few to judge.`
                  : 'No deliveries in this range with these filters.'}
        </p>
      </Panel>
    </div>
  );
}

async function ComplaintTrend({ screen }: { screen: Screen }) {
  const { points, bucket, tz } = await getScreenSeries(screen.filters, screen.bucket, screen.tz);
  return (
    <Panel
      title="Complaint rate over time"
      actions={
        <span className="text-xs text-gray-500">
          per {bucket}, {tz}
        </span>
      }
    >
      <ComplaintRateChart
        points={points}
        tz={tz}
        bucket={bucket}
        from={screen.filters.from.toISOString()}
        to={screen.filters.to.toISOString()}
        filterQuery={bucketRecordsQuery(screen.filters, { type: 'f' })}
      />
      <p className="mt-1 text-xs text-gray-500">
        {bucket === 'hour' ? 'An' : 'A'} {bucket} of few deliveries reads high with one complaint (1 of 100 is
        1 %); the hover shows the counts, a click opens the {bucket}&apos;s complaints. The verdicts above and
        below judge a whole slice, from enough deliveries.
      </p>
    </Panel>
  );
}

async function ComplaintBreakdown({
  screen,
  by,
  minDelivered,
  query,
}: {
  screen: Screen;
  by: Dimension;
  minDelivered: number;
  query: string;
}) {
  const { filters } = screen;
  const { rows } = await getScreenBreakdown(filters, by, Number.MAX_SAFE_INTEGER);
  const judged = rows.filter((r) => r.counts.complaints > 0 || r.counts.delivered >= minDelivered);
  const shown: ComplaintRow[] = judged
    .map((r) => ({
      key: r.key,
      delivered: r.counts.delivered,
      complaints: r.counts.complaints,
      rate: r.rates.complaint,
      status: complaintStatus(r.counts.complaints, r.counts.delivered, minDelivered),
    }))
    .sort((a, b) => b.complaints - a.complaints || (b.rate ?? 0) - (a.rate ?? 0) || (a.key < b.key ? -1 : 1))
    .slice(0, 15);
  return (
    <ComplaintTable
      title={`By ${DIMENSION_LABELS[by]}`}
      rows={shown}
      recordsHref={(key, type) => recordsHref(filters, { type, [by]: key })}
      detailHref={(key) => detailHref(by, key, query)}
      empty={<NoRecords what="complaints" />}
      footer={
        <p className="mt-2 text-xs text-gray-500" data-testid="complaint-rows-shown">
          {shown.length < judged.length
            ? `Top ${shown.length} of ${formatCount(judged.length)}, by complaints; `
            : ''}
          {`rows with no complaint and under ${formatCount(minDelivered)} deliveries are left out`}
        </p>
      }
    />
  );
}

/** Complaints against the providers' limits, per provider, domain, VirtualMTA, pool and job. */
export default async function ComplaintsPage({ searchParams }: { searchParams: SearchParams }) {
  const params = toSearchParams(await searchParams);
  let screen: Screen;
  let minDelivered: number;
  try {
    screen = await parseCountScreen(params);
    minDelivered = parseMinDelivered(params);
  } catch (error) {
    if (!(error instanceof ParamError)) throw error;
    return <ParamErrorMessage error={error} />;
  }
  const key = params.toString();
  const query = carriedQuery(params);
  return (
    <>
      <ScreenHeader title="Complaints" screen={screen} stateKey={key} />
      <p className="mb-4 text-sm text-gray-500">
        Complaint rate = complaints / delivered of the same slice. Gmail and Yahoo ask bulk senders to stay
        under {COMPLAINT_LIMITS[0].rate * 100} % and never reach {COMPLAINT_LIMITS[1].rate * 100} %; slices
        with fewer than {minDelivered.toLocaleString('en-US')} deliveries are not judged. Complaints without a
        recipient (Microsoft JMRP) count for Microsoft; complaints reach VirtualMTAs and pools through their
        sending IP.
      </p>
      <Streamed title="Complaint KPIs" stateKey={`kpi${key}`}>
        <ComplaintKpis screen={screen} minDelivered={minDelivered} />
      </Streamed>
      <div className="mt-4">
        <Streamed title="Complaint rate over time" stateKey={`ts${key}`} height="h-72">
          <ComplaintTrend screen={screen} />
        </Streamed>
      </div>
      <div className="mt-4 grid gap-4 lg:grid-cols-2">
        {BY.map((by) => (
          <Streamed key={by} title={`By ${by}`} stateKey={`${by}${key}`} height="h-48">
            <ComplaintBreakdown screen={screen} by={by} minDelivered={minDelivered} query={query} />
          </Streamed>
        ))}
      </div>
    </>
  );
}
