import Link from 'next/link';
import { getOpenIncidents } from '@/lib/queries/get-incidents.ts';
import { incidentTitle } from './incident-card.tsx';

/**
 * Open incidents, counted and the first three named at the top of the overview (nothing when all
 * is well; getOpenIncidents orders them); the link keeps the reader's zone.
 */
export async function IncidentBanner({ tz }: { tz: string }) {
  const { count, named } = await getOpenIncidents(3);
  if (count === 0) return null;
  return (
    <section
      aria-label="Open incidents"
      className="mb-4 rounded-lg border border-red-300 bg-red-50 p-3 text-sm text-red-900 dark:border-red-900 dark:bg-red-950/40 dark:text-red-100"
    >
      <p className="font-medium">
        {count === 1 ? '1 open incident' : `${count} open incidents`}:{' '}
        {named.map((i) => incidentTitle(i)).join('; ')}
        {count > named.length ? '; …' : ''}{' '}
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
