import Link from 'next/link';
import { Panel } from '@/components/panel.tsx';
import { formatCount, formatCountOf, wallTimeFormat } from '@/lib/acct/format.ts';
import { getSuppressions, type SuppressionQuery } from '@/lib/queries/get-suppressions.ts';
import { withSearchParams } from '@/lib/search-params.ts';
import { NoRecords } from '../_sections/no-records.tsx';
import { REASON_LABELS } from './reason-labels.ts';
import { entryRecordsHref } from './records-links.ts';

const LINK = 'text-blue-700 hover:underline dark:text-blue-300';

/** One page of suppressions, with the CSV of the same page and the keyset link onwards. */
export async function SuppressionList({
  query,
  params,
  tz,
}: {
  query: SuppressionQuery;
  params: URLSearchParams;
  tz: string;
}) {
  const result = await getSuppressions(query);
  const time = wallTimeFormat(tz);
  // Only what the suppressions API reads: the screen's URL also carries the range and filters of
  // the screen it came from, which the API refuses as unknown parameters.
  const csv = new URLSearchParams({ since: query.since.toISOString(), limit: String(query.limit) });
  if (query.until) csv.set('until', query.until.toISOString());
  if (query.cursor) csv.set('cursor', query.cursor);
  csv.set('format', 'csv');
  const n = result.suppressions.length;
  return (
    <Panel
      title="Suppressions"
      className="overflow-x-auto"
      actions={
        <a
          href={`/api/v1/suppressions?${csv.toString()}`}
          className="text-sm text-blue-700 hover:underline dark:text-blue-300"
        >
          Download CSV
        </a>
      }
    >
      <p className="mb-2 text-xs text-gray-500" data-testid="suppressions-shown">
        {formatCountOf(n, 'recipient')} on this page
        {query.cursor ? ' (continued)' : ''}, each at its first suppression event
      </p>
      {n === 0 ? (
        query.cursor ? (
          <p className="text-sm text-gray-500">Nothing newer yet.</p>
        ) : (
          <NoRecords what="suppressions" />
        )
      ) : (
        <table className="w-full text-sm">
          <thead className="text-left text-xs text-gray-500">
            <tr>
              <th className="py-1 font-medium">Time ({tz})</th>
              <th className="py-1 font-medium">Recipient</th>
              <th className="py-1 font-medium">Reason</th>
              <th className="py-1 font-medium">Category / status</th>
              <th className="py-1 font-medium">Diagnostic</th>
              <th className="py-1 font-medium">VirtualMTA</th>
              <th className="py-1 text-right font-medium">Events</th>
            </tr>
          </thead>
          <tbody>
            {result.suppressions.map((s) => {
              // Its suppression events, every spelling of its mailbox: as many as Events.
              const href = entryRecordsHref(s, tz);
              return (
                <tr key={s.recordId} className="border-t border-gray-100 align-top dark:border-gray-800">
                  <td className="whitespace-nowrap py-1 tabular-nums">{time.format(new Date(s.time))}</td>
                  <td className="py-1">
                    {href ? (
                      <Link prefetch={false} href={href} className={LINK} title={`Records of ${s.rcpt}`}>
                        {s.rcpt}
                      </Link>
                    ) : (
                      s.rcpt
                    )}
                  </td>
                  <td className="py-1">{REASON_LABELS[s.reason].one}</td>
                  <td className="py-1">
                    {[s.bounceCategory, s.dsnStatus ?? s.feedbackType].filter(Boolean).join(' · ')}
                  </td>
                  <td className="max-w-md truncate py-1" title={s.dsnDiag ?? undefined}>
                    {s.dsnDiag ?? ''}
                  </td>
                  <td className="py-1">{s.vmta ?? ''}</td>
                  <td className="py-1 text-right tabular-nums">
                    {href ? (
                      <Link
                        prefetch={false}
                        href={href}
                        className={LINK}
                        aria-label={`${formatCount(s.eventCount)} suppression events of ${s.rcpt}`}
                      >
                        {formatCount(s.eventCount)}
                      </Link>
                    ) : (
                      formatCount(s.eventCount)
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {result.nextCursor ? (
        <Link
          prefetch={false}
          href={withSearchParams(params, { since: query.since.toISOString(), cursor: result.nextCursor })}
          className="mt-3 inline-block text-sm hover:underline"
        >
          {result.hasMore ? 'Next page →' : 'Newer →'}
        </Link>
      ) : null}
    </Panel>
  );
}
