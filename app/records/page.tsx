import Link from 'next/link';
import { ParamErrorMessage } from '@/components/param-error.tsx';
import { RecordSearch } from '@/components/record-search.tsx';
import { VmtaCell } from '@/components/vmta-cell.tsx';
import { formatCount, wallTimeFormat } from '@/lib/acct/format.ts';
import { COUNT_KEYS, type RecordType } from '@/lib/acct/types.ts';
import { ParamError } from '@/lib/filters.ts';
import { getRecords, parseRecordQuery, type RecordQuery } from '@/lib/queries/get-records.ts';
import { getSummary } from '@/lib/queries/get-summary.ts';
import { parseScreen, type Screen } from '@/lib/screen-params.ts';
import { toSearchParams } from '@/lib/search-params.ts';
import { ScreenHeader } from '../_sections/screen-header.tsx';

export const dynamic = 'force-dynamic';

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/**
 * How many records the query selects in all, when the stats can count them (types and dimension
 * filters: the same rollups, the same numbers as every count that links here); null when it also
 * matches text (recipient, diagnostic, reason, queue), which only the pages themselves can tell.
 */
async function matchingTotal(query: RecordQuery): Promise<number | null> {
  if (query.rcpt || query.q || query.queue || query.diag !== undefined || query.template !== undefined)
    return null;
  const { counts } = await getSummary(query.filters);
  const types = query.types.length > 0 ? query.types : (Object.keys(COUNT_KEYS) as RecordType[]);
  return types.reduce((sum, t) => sum + counts[COUNT_KEYS[t]], 0);
}

/** The records explorer: every filter of the stats, newest first, keyset pages, every field. */
export default async function RecordsPage({ searchParams }: { searchParams: SearchParams }) {
  const params = toSearchParams(await searchParams);
  let result: Awaited<ReturnType<typeof getRecords>>;
  let total: number | null;
  let screen: Screen;
  try {
    screen = parseScreen(params);
    const query = parseRecordQuery(params, 50);
    [result, total] = await Promise.all([getRecords(query), matchingTotal(query)]);
  } catch (error) {
    if (!(error instanceof ParamError)) throw error;
    return <ParamErrorMessage error={error} />;
  }
  const { tz } = screen;
  const time = wallTimeFormat(tz);
  const next = new URLSearchParams(params);
  if (result.nextCursor) next.set('cursor', result.nextCursor);
  // Pages go back in time (keyset); the way forward again is the newest page.
  const newest = new URLSearchParams(params);
  newest.delete('cursor');
  return (
    <>
      <ScreenHeader
        title="Records"
        screen={screen}
        stateKey={params.toString()}
        live={false}
        bucketed={false}
      />
      <RecordSearch />
      <section
        aria-label="Records"
        className="overflow-x-auto rounded-lg border border-gray-200 bg-white p-4 shadow-sm dark:border-gray-800 dark:bg-gray-900"
      >
        {total !== null ? (
          <p className="mb-1 text-sm" data-testid="records-total">
            {formatCount(total)} {total === 1 ? 'record matches' : 'records match'} these filters in this
            range
          </p>
        ) : null}
        <p className="mb-2 text-xs text-gray-500" data-testid="records-shown">
          {formatCount(result.records.length)} {result.records.length === 1 ? 'record' : 'records'} on this
          page
          {params.get('cursor') ? ' (continued)' : ''}
        </p>
        {result.records.length === 0 ? (
          <p className="text-sm text-gray-500">No record matches these filters in this range.</p>
        ) : (
          <table className="w-full text-sm">
            <thead className="text-left text-xs text-gray-500">
              <tr>
                <th className="py-1 font-medium">Time ({tz})</th>
                <th className="py-1 font-medium">Type</th>
                <th className="py-1 font-medium">Recipient</th>
                <th className="py-1 font-medium">VirtualMTA</th>
                <th className="py-1 font-medium">Status</th>
                <th className="py-1 font-medium">Diagnostic</th>
              </tr>
            </thead>
            <tbody>
              {result.records.map((r) => (
                <tr key={String(r.id)} className="border-t border-gray-100 align-top dark:border-gray-800">
                  <td className="whitespace-nowrap py-1 tabular-nums">
                    {time.format(new Date(String(r.timeLogged)))}
                  </td>
                  <td className="py-1" title={COUNT_KEYS[r.type as RecordType]}>
                    {String(r.type)}
                  </td>
                  <td className="py-1">{String(r.rcpt ?? r.rcptDomain ?? '')}</td>
                  <td className="py-1">
                    <VmtaCell vmta={r.vmta} pool={r.vmtaPool} />
                  </td>
                  <td className="py-1">{String(r.dsnStatus ?? r.bounceCat ?? '')}</td>
                  <td className="py-1">
                    <details>
                      <summary className="max-w-md cursor-pointer truncate">
                        {String(r.dsnDiag ?? '(no diagnostic)')}
                      </summary>
                      <dl className="mt-1 grid grid-cols-[max-content_1fr] gap-x-3 text-xs">
                        {Object.entries(r)
                          .filter(
                            ([, v]) =>
                              v !== null &&
                              v !== '' &&
                              !(typeof v === 'object' && Object.keys(v as object).length === 0),
                          )
                          .map(([k, v]) => (
                            <div key={k} className="contents">
                              <dt className="text-gray-500">{k}</dt>
                              <dd className="break-all">
                                {typeof v === 'object' ? JSON.stringify(v) : String(v)}
                              </dd>
                            </div>
                          ))}
                      </dl>
                    </details>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <p className="mt-3 flex gap-4 text-sm">
          {params.get('cursor') ? (
            <Link prefetch={false} href={`?${newest.toString()}`} className="hover:underline">
              ← Newest records
            </Link>
          ) : null}
          {result.nextCursor ? (
            <Link prefetch={false} href={`?${next.toString()}`} className="hover:underline">
              Older records →
            </Link>
          ) : null}
        </p>
      </section>
    </>
  );
}
