import { ParamErrorMessage } from '@/components/param-error.tsx';
import { formatAgo, formatCount } from '@/lib/acct/format.ts';
import { ParamError } from '@/lib/filters.ts';
import { getIngestStatus } from '@/lib/queries/get-ingest-status.ts';
import { parseRejectQuery, type RejectQuery } from '@/lib/queries/get-rejects.ts';
import { toSearchParams } from '@/lib/search-params.ts';
import { card } from './card.ts';
import { REJECT_PAGE, RejectList } from './reject-list.tsx';

export const dynamic = 'force-dynamic';

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** Followed folders, every file with its checkpoint and lag, and the rejects, newest first. */
export default async function IngestStatusPage({ searchParams }: { searchParams: SearchParams }) {
  const params = toSearchParams(await searchParams);
  let rejects: RejectQuery;
  try {
    rejects = parseRejectQuery(params, REJECT_PAGE);
  } catch (error) {
    if (!(error instanceof ParamError)) throw error;
    return <ParamErrorMessage error={error} />;
  }
  const status = await getIngestStatus();
  return (
    <>
      <h1 className="mb-4 text-xl font-semibold">Ingest status</h1>
      <section aria-label="Workers" className={`${card} mb-4`}>
        <h2 className="mb-2 text-sm font-medium text-gray-600 dark:text-gray-300">
          Workers and followed folders
        </h2>
        {status.workers.length === 0 ? (
          <p className="text-sm text-gray-500">No ingest worker is running.</p>
        ) : (
          <ul className="space-y-1 text-sm">
            {status.workers.map((w) => (
              <li key={w.id}>
                <span
                  className={
                    w.alive ? 'text-green-700 dark:text-green-400' : 'text-red-700 dark:text-red-400'
                  }
                >
                  {w.alive ? '● running' : '● silent'}
                </span>{' '}
                {w.host} (pid {w.pid}) —{' '}
                {(w.dirs as { source: string; pattern: string }[])
                  .map((d) => `${d.source}=${d.pattern}`)
                  .join(', ')}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-label="Files" className={`${card} mb-4 overflow-x-auto`}>
        <h2 className="mb-2 text-sm font-medium text-gray-600 dark:text-gray-300">
          Files ({formatCount(status.totals.files)}, {formatCount(status.totals.records)} records, lag{' '}
          {formatBytes(status.totals.lagBytes)})
        </h2>
        <table className="w-full text-sm tabular-nums">
          <thead className="text-left text-xs text-gray-500">
            <tr>
              <th className="py-1 font-medium">File</th>
              <th className="py-1 font-medium">Source</th>
              <th className="py-1 font-medium">Status</th>
              <th className="py-1 text-right font-medium">Offset</th>
              <th className="py-1 text-right font-medium">Size</th>
              <th className="py-1 text-right font-medium">Lag</th>
              <th className="py-1 text-right font-medium">Records</th>
              <th className="py-1 text-right font-medium">Rejects</th>
              <th className="py-1 text-right font-medium">Last record</th>
            </tr>
          </thead>
          <tbody>
            {status.files.map((f) => (
              <tr key={f.id} className="border-t border-gray-100 dark:border-gray-800">
                <td className="max-w-96 truncate py-1" title={f.path}>
                  {f.path.split('/').at(-1)}
                </td>
                <td className="py-1">{f.source}</td>
                <td className="py-1">{f.status}</td>
                <td className="py-1 text-right">{formatCount(f.offset)}</td>
                <td className="py-1 text-right">{formatBytes(f.size)}</td>
                <td className="py-1 text-right">{formatBytes(f.lagBytes)}</td>
                <td className="py-1 text-right">{formatCount(f.records)}</td>
                <td className="py-1 text-right">{formatCount(f.rejects)}</td>
                <td className="py-1 text-right" title={f.lastRecordAt ?? ''}>
                  {formatAgo(f.lagSeconds)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <RejectList query={rejects} params={params} />
    </>
  );
}
