import Link from 'next/link';
import { getHasData } from '@/lib/queries/get-has-data.ts';

/** Why a panel is empty: nothing in this range, or nothing ingested at all yet. */
export async function NoRecords({ what = 'records' }: { what?: string }) {
  if (await getHasData()) {
    return <p className="text-sm text-gray-500">No {what} in this range with these filters.</p>;
  }
  return (
    <p className="text-sm text-gray-500">
      Nothing has been ingested yet.{' '}
      <Link prefetch={false} href="/ingest" className="text-blue-700 hover:underline dark:text-blue-300">
        See the ingest status
      </Link>{' '}
      for the followed folders and files.
    </p>
  );
}
