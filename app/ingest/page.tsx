import { CountLink } from '@/components/count-link.tsx';
import { LiveRefresh } from '@/components/live-refresh.tsx';
import { ParamErrorMessage } from '@/components/param-error.tsx';
import { formatAgo, formatCount, formatCountOf, formatDuration } from '@/lib/acct/format.ts';
import { fileBaseName } from '@/lib/file-name.ts';
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

/** Files listed on the screen (the API lists every one). */
const FILES_LISTED = 200;

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
type IngestStatus = Awaited<ReturnType<typeof getIngestStatus>>;
type WorkerStatus = IngestStatus['workers'][number];

const MINUTE = 60_000;

/**
 * The records explorer on exactly the records read from a file: its id, over the whole minutes
 * from its first record to its last. null for a file read before its first record's time was
 * kept (or with none).
 */
function fileRecordsHref(f: IngestStatus['files'][number]): string | null {
  if (!f.firstRecordAt || !f.lastRecordAt || f.records === 0) return null;
  const from = Math.floor(Date.parse(f.firstRecordAt) / MINUTE) * MINUTE;
  const to = (Math.floor(Date.parse(f.lastRecordAt) / MINUTE) + 1) * MINUTE;
  const q = new URLSearchParams({
    fileId: String(f.id),
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
  });
  return `/records?${q}`;
}

function FileRecords({ f }: { f: IngestStatus['files'][number] }) {
  const href = fileRecordsHref(f);
  if (!href) return <>{formatCount(f.records)}</>;
  return <CountLink n={f.records} href={href} label={`Records read from ${fileBaseName(f.path)}`} />;
}

/**
 * What a worker is doing: its pace over the last minute, what it has committed since it started,
 * and how long the unread bytes of its folders take at that pace (a backfill's ETA).
 */
function WorkerProgress({ w, now }: { w: WorkerStatus; now: number }) {
  const since = (iso: string) => (now - Date.parse(iso)) / 1000;
  if (!w.alive)
    return <p className="text-xs text-gray-500">last heard from {formatAgo(since(w.heartbeatAt))}</p>;
  const left =
    w.lagBytes === 0
      ? 'caught up'
      : `${formatBytes(w.lagBytes)} left to read${
          w.etaSeconds === null ? '' : `: about ${formatDuration(w.etaSeconds * 1000)} at this pace`
        }`;
  return (
    <p className="text-xs text-gray-500" data-testid="worker-progress">
      {formatCount(Math.round(w.recordsPerSec))} records/s ({formatBytes(Math.round(w.bytesPerSec))}/s) over
      the last minute · {formatCountOf(w.records, 'record')}
      {w.rejects > 0 ? ` and ${formatCountOf(w.rejects, 'rejected line')}` : ''} since it started{' '}
      {formatAgo(since(w.startedAt))} · {left}
    </p>
  );
}

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
  const status = await getIngestStatus({ fileLimit: FILES_LISTED });
  const unlisted = status.totals.files - status.files.length;
  return (
    <>
      <div className="mb-4 flex flex-wrap items-center gap-3">
        <h1 className="text-xl font-semibold">Ingest status</h1>
        <LiveRefresh />
      </div>
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
                <WorkerProgress w={w} now={Date.parse(status.now)} />
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-label="Files" className={`${card} mb-4 overflow-x-auto`}>
        <h2 className="mb-2 text-sm font-medium text-gray-600 dark:text-gray-300">
          Files ({formatCount(status.totals.files)}, {formatCountOf(status.totals.records, 'record')}, lag{' '}
          {formatBytes(status.totals.lagBytes)})
        </h2>
        {unlisted > 0 ? (
          <p className="mb-2 text-xs text-gray-500" data-testid="files-listed">
            The {formatCount(status.files.length)} listed are those with bytes left to read, then the most
            recently read; {formatCount(unlisted)} more are not listed (
            {Object.entries(status.totals.byStatus)
              .map(([st, n]) => `${formatCount(n)} ${st}`)
              .join(', ')}{' '}
            in all).{' '}
            <a className="text-blue-700 hover:underline dark:text-blue-300" href="/api/v1/ingest/status">
              Every file, as JSON
            </a>
          </p>
        ) : null}
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
                  {fileBaseName(f.path)}
                </td>
                <td className="py-1">{f.source}</td>
                <td className="py-1">{f.status}</td>
                <td className="py-1 text-right">{formatCount(f.offset)}</td>
                <td className="py-1 text-right">{formatBytes(f.size)}</td>
                <td className="py-1 text-right">{formatBytes(f.lagBytes)}</td>
                <td className="py-1 text-right">
                  <FileRecords f={f} />
                </td>
                <td className="py-1 text-right">
                  {f.rejects > 0 ? (
                    <CountLink
                      n={f.rejects}
                      href={`/ingest?fileId=${f.id}#rejects`}
                      label={`Rejected lines of ${fileBaseName(f.path)}`}
                    />
                  ) : (
                    '0'
                  )}
                </td>
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
