import { formatAgo, formatCount } from '@/lib/acct/format.ts';
import { getIngestStatus } from '@/lib/queries/get-ingest-status.ts';

export const dynamic = 'force-dynamic';

const card = 'rounded-lg border border-gray-200 bg-white p-4 shadow-sm dark:border-gray-800 dark:bg-gray-900';

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

/** How many of the newest rejected lines the page lists. */
const REJECT_LIMIT = 50;

/** Followed folders, every file with its checkpoint and lag, and the latest rejects. */
export default async function IngestStatusPage() {
  const status = await getIngestStatus({ rejectLimit: REJECT_LIMIT });
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
      <section aria-label="Rejects" className={card}>
        <h2 className="mb-2 text-sm font-medium text-gray-600 dark:text-gray-300">
          Rejected lines ({formatCount(status.rejectCount)})
        </h2>
        {status.latestRejects.length > 0 && status.latestRejects.length < status.rejectCount ? (
          // The list holds the newest REJECT_LIMIT: under "Rejected lines (95)" 50 lines were listed
          // as if they were all (QA).
          <p className="mb-2 text-xs text-gray-500" data-testid="rejects-shown">
            The {formatCount(status.latestRejects.length)} newest are listed below.
          </p>
        ) : null}
        {status.latestRejects.length === 0 ? (
          <p className="text-sm text-gray-500">No line was rejected.</p>
        ) : (
          <ul className="space-y-2 text-sm">
            {status.latestRejects.map((r) => (
              <li key={r.id}>
                <div className="text-red-700 dark:text-red-300">{r.reason}</div>
                {/* The source and the full path (as a title): two hosts' files often share a name, and
                    "acct-2026-11-21-0000.csv @ byte 581" did not say which one (QA). */}
                <div className="text-xs text-gray-500" data-testid="reject-place">
                  {r.source} · <span title={r.path}>{r.path.split('/').at(-1)}</span> @ byte{' '}
                  {formatCount(r.offset)}
                </div>
                <code className="block truncate text-xs">{r.text}</code>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
