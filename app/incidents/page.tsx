import Link from 'next/link';
import { LiveRefresh } from '@/components/live-refresh.tsx';
import { Panel } from '@/components/panel.tsx';
import { ParamErrorMessage } from '@/components/param-error.tsx';
import { ParamError, parseTimeZone } from '@/lib/filters.ts';
import {
  getIncidents,
  INCIDENT_STATUSES,
  type IncidentQuery,
  parseIncidentQuery,
} from '@/lib/queries/get-incidents.ts';
import { toSearchParams, withSearchParams } from '@/lib/search-params.ts';
import { IncidentCard } from '../_sections/incident-card.tsx';
import { Streamed } from '../_sections/streamed.tsx';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Incidents · acctscope' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

async function IncidentList({ query, tz }: { query: IncidentQuery; tz: string }) {
  const { incidents } = await getIncidents(query);
  if (incidents.length === 0) {
    return (
      <Panel title="Incidents">
        <p className="text-sm text-gray-500">
          No {query.status === 'all' ? '' : `${query.status} `}incident since{' '}
          {new Intl.DateTimeFormat('en-GB', { timeZone: tz, dateStyle: 'medium', timeStyle: 'short' }).format(
            query.since,
          )}
          . Every provider × VirtualMTA and provider × pool is compared each minute with its own last 7 days.
        </p>
      </Panel>
    );
  }
  return (
    <div className="space-y-3">
      {incidents.map((i) => (
        <IncidentCard key={i.id} incident={i} tz={tz} />
      ))}
    </div>
  );
}

/** Incidents: open ones first, then those resolved since `since`. */
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
      <Streamed title="Incidents" stateKey={params.toString()} height="h-32">
        <IncidentList query={query} tz={tz} />
      </Streamed>
    </>
  );
}
