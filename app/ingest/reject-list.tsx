import Link from 'next/link';
import { formatCount } from '@/lib/acct/format.ts';
import { fileBaseName, fileLabel } from '@/lib/file-name.ts';
import { getFileName } from '@/lib/queries/get-ingest-status.ts';
import { getRejects, type RejectQuery } from '@/lib/queries/get-rejects.ts';
import { withSearchParams } from '@/lib/search-params.ts';
import { card } from './card.ts';

/** How many rejected lines a page of the ingest screen lists. */
export const REJECT_PAGE = 50;

/**
 * The rejected lines with their reasons, newest first, a page at a time: with 3,000 rejects the
 * screen listed the 50 newest and no way to the others (QA).
 */
export async function RejectList({ query, params }: { query: RejectQuery; params: URLSearchParams }) {
  const [{ rejects, totalRejects, nextCursor }, file] = await Promise.all([
    getRejects(query),
    query.fileId === undefined ? null : getFileName(query.fileId),
  ]);
  const continued = Boolean(query.cursor);
  // A file's or a host's rejects (a file's Rejects count links here): said, with the way back.
  const of =
    query.fileId !== undefined
      ? ` of ${file ? fileLabel(file) : `file #${query.fileId}`}`
      : query.source !== undefined
        ? ` of ${query.source}`
        : '';
  return (
    <section id="rejects" aria-label="Rejects" className={card}>
      <h2 className="mb-2 text-sm font-medium text-gray-600 dark:text-gray-300">
        Rejected lines{of} ({formatCount(totalRejects)})
        {of ? (
          <Link
            prefetch={false}
            href={withSearchParams(params, { fileId: null, source: null, cursor: null })}
            className="ml-2 text-xs font-normal text-blue-700 hover:underline dark:text-blue-300"
          >
            All rejected lines
          </Link>
        ) : null}
      </h2>
      {rejects.length > 0 && (continued || rejects.length < totalRejects) ? (
        // Under "Rejected lines (95)" 50 lines were listed as if they were all (QA).
        <p className="mb-2 text-xs text-gray-500" data-testid="rejects-shown">
          {continued
            ? `${formatCount(rejects.length)} older ones are listed below.`
            : `The ${formatCount(rejects.length)} newest are listed below.`}
        </p>
      ) : null}
      {rejects.length === 0 ? (
        <p className="text-sm text-gray-500">
          {continued ? 'No older rejected line.' : 'No line was rejected.'}
        </p>
      ) : (
        <ul className="space-y-2 text-sm">
          {rejects.map((r) => (
            <li key={r.id}>
              <div className="text-red-700 dark:text-red-300">{r.reason}</div>
              {/* The source and the full path (as a title): two hosts' files often share a name, and
                  "acct-2026-11-21-0000.csv @ byte 581" did not say which one (QA). */}
              <div className="text-xs text-gray-500" data-testid="reject-place">
                {r.source} · <span title={r.path}>{fileBaseName(r.path)}</span> @ byte {formatCount(r.offset)}
              </div>
              <code className="block truncate text-xs">{r.text}</code>
            </li>
          ))}
        </ul>
      )}
      <p className="mt-3 flex gap-4 text-sm">
        {continued ? (
          <Link
            prefetch={false}
            href={withSearchParams(params, { cursor: null })}
            className="hover:underline"
          >
            ← Newest rejects
          </Link>
        ) : null}
        {nextCursor ? (
          <Link
            prefetch={false}
            href={withSearchParams(params, { cursor: nextCursor })}
            className="hover:underline"
          >
            Older rejects →
          </Link>
        ) : null}
      </p>
    </section>
  );
}
