import Link from 'next/link';
import { FilterBar } from '@/components/filter-bar.tsx';
import { LiveRefresh } from '@/components/live-refresh.tsx';
import { MisspeltParams } from '@/components/misspelt-params.tsx';
import { Panel } from '@/components/panel.tsx';
import { ParamErrorMessage } from '@/components/param-error.tsx';
import { SincePicker } from '@/components/since-picker.tsx';
import { formatCount } from '@/lib/acct/format.ts';
import { ParamError, parseTimeZone } from '@/lib/filters.ts';
import { groupIncidents } from '@/lib/incidents/group.ts';
import { METRICS } from '@/lib/incidents/rules.ts';
import {
  DEFAULT_INCIDENT_DAYS,
  getIncidentFilterOptions,
  getIncidents,
  getPoolsOfVmtas,
  INCIDENT_STATUSES,
  type IncidentQuery,
  MAX_INCIDENT_LIMIT,
  parseIncidentQuery,
} from '@/lib/queries/get-incidents.ts';
import { toSearchParams, withSearchParams } from '@/lib/search-params.ts';
import { IncidentCard } from '../_sections/incident-card.tsx';
import { Streamed } from '../_sections/streamed.tsx';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Incidents · acctscope' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const NARROWED = ['provider', 'vmta', 'pool', 'metric'] as const;
const METRIC_LABELS = { bounce: 'Bounces', deferral: 'Deferrals', complaint: 'Complaints' } as const;

async function IncidentFilters() {
  // Without its choices (the database is down) the bar still shows the URL's; the list says why.
  const options = await getIncidentFilterOptions().catch(() => ({}));
  return <FilterBar options={options} names={['provider', 'vmta', 'pool']} offerNone={false} />;
}

async function IncidentList({
  query,
  tz,
  params,
}: {
  query: IncidentQuery;
  tz: string;
  params: URLSearchParams;
}) {
  const { incidents, totalIncidents } = await getIncidents(query);
  if (incidents.length === 0) {
    const narrowed = NARROWED.some((name) => params.has(name));
    return (
      <Panel title="Incidents">
        <p className="text-sm text-gray-500">
          No {query.status === 'all' ? '' : `${query.status} `}incident
          {narrowed ? ' matching these filters' : ''} since{' '}
          {new Intl.DateTimeFormat('en-GB', { timeZone: tz, dateStyle: 'medium', timeStyle: 'short' }).format(
            query.since,
          )}
          . Every provider × VirtualMTA and provider × pool is compared each minute with its own last 7 days.
          {narrowed ? (
            <>
              {' '}
              <Link
                prefetch={false}
                href={withSearchParams(params, Object.fromEntries(NARROWED.map((name) => [name, null])))}
                className="text-blue-700 underline dark:text-blue-300"
              >
                Show every incident
              </Link>
            </>
          ) : null}
        </p>
      </Panel>
    );
  }
  const vmtas = incidents.filter((i) => i.slice.kind === 'vmta').map((i) => i.slice.sender);
  const groups = groupIncidents(incidents, await getPoolsOfVmtas([...new Set(vmtas)]));
  // A full page (200 by default) said nothing of the incidents past it (QA, as the API's limit).
  const more = Math.min(totalIncidents, MAX_INCIDENT_LIMIT);
  return (
    <div className="space-y-3">
      {totalIncidents > incidents.length ? (
        <p className="text-sm text-gray-500" data-testid="incidents-shown">
          {formatCount(incidents.length)} of {formatCount(totalIncidents)} incidents listed, open first, then
          the latest started.{' '}
          {more > query.limit ? (
            <Link
              prefetch={false}
              href={withSearchParams(params, { limit: String(more) })}
              className="text-blue-700 underline dark:text-blue-300"
            >
              {more === totalIncidents ? `List all ${formatCount(more)}` : `List ${formatCount(more)}`}
            </Link>
          ) : (
            'Narrow the filters or the period to see the rest.'
          )}
        </p>
      ) : null}
      {groups.map(({ lead, members }) => (
        <IncidentCard key={lead.id} incident={lead} members={members} tz={tz} />
      ))}
    </div>
  );
}

/** Incidents: open ones first, then those resolved since `since`; narrowed by provider, slice, metric. */
export default async function IncidentsPage({ searchParams }: { searchParams: SearchParams }) {
  const params = toSearchParams(await searchParams);
  let query: IncidentQuery;
  let tz: string;
  try {
    query = parseIncidentQuery(params);
    tz = parseTimeZone(params);
  } catch (error) {
    if (!(error instanceof ParamError)) throw error;
    return <ParamErrorMessage error={error} />;
  }
  return (
    <>
      <div className="mb-4 flex flex-wrap items-center justify-between gap-2">
        <div className="flex items-center gap-4">
          <h1 className="text-xl font-semibold">Incidents</h1>
          <LiveRefresh intervalMs={30_000} />
        </div>
        <nav aria-label="Status" className="flex gap-1 text-sm">
          {INCIDENT_STATUSES.map((s) => (
            <Link
              prefetch={false}
              key={s}
              href={withSearchParams(params, { status: s === 'all' ? null : s })}
              aria-current={query.status === s ? 'page' : undefined}
              className={`rounded px-2 py-1 capitalize ${query.status === s ? 'bg-gray-900 text-white dark:bg-gray-100 dark:text-gray-900' : 'hover:bg-gray-200 dark:hover:bg-gray-800'}`}
            >
              {s}
            </Link>
          ))}
        </nav>
      </div>
      <MisspeltParams />
      <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
        <SincePicker
          since={query.since}
          params={params}
          tz={tz}
          label="Active in the last"
          defaultDays={DEFAULT_INCIDENT_DAYS}
        />
        <nav aria-label="Metric" className="flex gap-1 text-sm">
          {[null, ...METRICS].map((m) => (
            <Link
              prefetch={false}
              key={m ?? 'all'}
              href={withSearchParams(params, { metric: m })}
              aria-current={query.metric === m ? 'page' : undefined}
              className={`rounded px-2 py-1 ${query.metric === m ? 'bg-gray-900 text-white dark:bg-gray-100 dark:text-gray-900' : 'hover:bg-gray-200 dark:hover:bg-gray-800'}`}
            >
              {m === null ? 'All metrics' : METRIC_LABELS[m]}
            </Link>
          ))}
        </nav>
      </div>
      <Streamed title="Incident filters" stateKey="incident-filters" height="h-8">
        <IncidentFilters />
      </Streamed>
      <Streamed title="Incidents" stateKey={params.toString()} height="h-32">
        <IncidentList query={query} tz={tz} params={params} />
      </Streamed>
    </>
  );
}
