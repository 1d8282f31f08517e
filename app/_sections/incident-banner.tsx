import Link from 'next/link';
import { getIncidents } from '@/lib/queries/get-incidents.ts';
import { incidentTitle } from './incident-card.tsx';

/**
 * Open incidents, named at the top of the overview (nothing when all is well). A pool's incident is
 * named before its VirtualMTAs' (one cause opens both, and the pool is the one to act on), then the
 * latest started; the link keeps the reader's zone.
 */
export async function IncidentBanner({ tz }: { tz: string }) {
  const { incidents } = await getIncidents({
    status: 'open',
    since: new Date(),
    limit: 20,
    provider: [],
    vmta: [],
    pool: [],
    metric: null,
  });
  if (incidents.length === 0) return null;
  const named = [...incidents].sort(
    (a, b) =>
      Number(b.slice.kind === 'pool') - Number(a.slice.kind === 'pool') ||
      Date.parse(b.startedAt) - Date.parse(a.startedAt),
  );
  return (
    <section
      aria-label="Open incidents"
      className="mb-4 rounded-lg border border-red-300 bg-red-50 p-3 text-sm text-red-900 dark:border-red-900 dark:bg-red-950/40 dark:text-red-100"
    >
      <p className="font-medium">
        {incidents.length === 1 ? '1 open incident' : `${incidents.length} open incidents`}:{' '}
        {named
          .slice(0, 3)
          .map((i) => incidentTitle(i))
          .join('; ')}
        {incidents.length > 3 ? '; …' : ''}{' '}
        <Link
          prefetch={false}
          href={`/incidents?${new URLSearchParams({ status: 'open', tz })}`}
          className="underline"
        >
          See incidents
        </Link>
      </p>
    </section>
  );
}
