import Link from 'next/link';
import { Suspense } from 'react';
import type { LiveHold } from '@/components/live-holds.ts';
import { OpenRecordsHold } from '@/components/open-records-hold.tsx';
import { ParamErrorMessage } from '@/components/param-error.tsx';
import { RecordSearch } from '@/components/record-search.tsx';
import { VmtaCell } from '@/components/vmta-cell.tsx';
import { formatCount, formatCountOf, formatDuration, wallTimeFormat } from '@/lib/acct/format.ts';
import { COUNT_KEYS, type RecordType } from '@/lib/acct/types.ts';
import { RECORDS_PARAMS } from '@/lib/api/params.ts';
import { fileLabel } from '@/lib/file-name.ts';
import { keyLabel, ParamError } from '@/lib/filters.ts';
import { getFileName } from '@/lib/queries/get-ingest-status.ts';
import {
  getRecords,
  parseRecordQuery,
  type RecordQuery,
  type SuppressionFilter,
} from '@/lib/queries/get-records.ts';
import { getRecordsTotal } from '@/lib/queries/get-records-total.ts';
import { getTemplateText } from '@/lib/queries/get-template-text.ts';
import { getRawKeptFrom } from '@/lib/queries/query-counts.ts';
import { recordAnchor } from '@/lib/record-cursor.ts';
import { parseScreen, type Screen } from '@/lib/screen-params.ts';
import { toSearchParams, withSearchParams } from '@/lib/search-params.ts';
import { readShownCount } from '@/lib/shown-count.ts';
import { ScreenHeader } from '../_sections/screen-header.tsx';
import { Streamed } from '../_sections/streamed.tsx';

export const dynamic = 'force-dynamic';

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** How the explorer names a suppression filter (lib/queries/get-records.ts). */
const SUPPRESSION_FILTER_LABELS: Record<SuppressionFilter, string> = {
  events: 'events (hard bounces, remote bounces, complaints)',
  first: "each recipient's first event",
};

/**
 * The filters a link can set that have no control of their own (a queue, an exact diagnostic, a
 * reason, a DSN code, suppression events, timed deliveries), each named with a way to drop it: the list says what it is narrowed to.
 */
async function TextFilters({ query, params }: { query: RecordQuery; params: URLSearchParams }) {
  // `drop`: the parameters its ✕ removes (default its own).
  const shown: { param: string; label: string; value: string; drop?: string[] }[] = [];
  if (query.queue !== undefined) shown.push({ param: 'queue', label: 'queue', value: query.queue });
  if (query.diag !== undefined) {
    shown.push({ param: 'diag', label: 'diagnostic', value: query.diag === '' ? '(none)' : query.diag });
  }
  if (query.template !== undefined) {
    // Without the database the chip still names the filter, by its key, and offers to drop it.
    const template =
      query.template === '' ? '(no diagnostic)' : await getTemplateText(query.template).catch(() => null);
    shown.push({ param: 'template', label: 'reason', value: template ?? query.template });
  }
  // Bounce categories have no control of their own either (the bounces screen's links set them).
  if (query.filters.bounceCategory.length > 0) {
    shown.push({
      param: 'bounceCategory',
      label: query.filters.bounceCategory.length === 1 ? 'bounce category' : 'bounce categories',
      value: query.filters.bounceCategory.map(keyLabel).join(', '),
    });
  }
  if (query.suppression) {
    shown.push({
      param: 'suppression',
      label: 'suppression',
      value: SUPPRESSION_FILTER_LABELS[query.suppression],
    });
  }
  if (query.dsnCode !== undefined) {
    shown.push({
      param: 'dsnCode',
      label: 'DSN code',
      value: query.dsnCode === '' ? '(none)' : query.dsnCode,
    });
  }
  if (query.fileId !== undefined) {
    // Named by its host and file name (the ingest screen's link sets it); by its id without the database.
    const file = await getFileName(query.fileId).catch(() => null);
    shown.push({
      param: 'fileId',
      label: 'file',
      value: file ? fileLabel(file) : `#${query.fileId}`,
    });
  }
  if (query.latency) {
    const over = query.latency.overMs;
    // latencyOver implies latency=timed: one filter, dropped whole.
    shown.push({
      param: 'latency',
      label: 'latency',
      value: over === undefined ? 'timed deliveries' : `timed deliveries slower than ${formatDuration(over)}`,
      drop: ['latency', 'latencyOver'],
    });
  }
  if (shown.length === 0) return null;
  return (
    <ul aria-label="Also matching" className="mb-3 flex flex-wrap gap-2 text-sm">
      {shown.map((f) => (
        <li
          key={f.param}
          className="flex max-w-full items-center gap-1 rounded border border-gray-300 bg-white px-2 py-0.5 dark:border-gray-700 dark:bg-gray-900"
        >
          <span className="text-gray-500">{f.label}</span>
          <span className="truncate font-mono text-xs" title={f.value}>
            {f.value.length > 120 ? `${f.value.slice(0, 120)}…` : f.value}
          </span>
          <Link
            prefetch={false}
            href={withSearchParams(params, {
              ...Object.fromEntries((f.drop ?? [f.param]).map((p) => [p, null])),
              cursor: null,
            })}
            aria-label={`Without the ${f.label} filter`}
            className="ml-1 text-gray-500 hover:text-gray-900 dark:hover:text-white"
          >
            ✕
          </Link>
        </li>
      ))}
    </ul>
  );
}

/**
 * A field of the record detail as read: times in the screen's zone (with the stored instant), the
 * file as its path and byte offset, custom columns one per line (they were JSON blobs, QA).
 */
function detailValue(key: string, value: unknown, time: Intl.DateTimeFormat, tz: string): string {
  if ((key === 'timeLogged' || key === 'timeQueued') && typeof value === 'string') {
    return `${time.format(new Date(value))} ${tz} (${value})`;
  }
  if (key === 'file' && value && typeof value === 'object' && 'path' in value && 'offset' in value) {
    return `${String(value.path)}, byte ${String(value.offset)}`;
  }
  if (key === 'extra' && value && typeof value === 'object') {
    return Object.entries(value)
      .map(([name, v]) => `${name}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
      .join('\n');
  }
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** The explorer's parameters the records API reads for the same list, but for its window and page. */
const SAME_LIST = (RECORDS_PARAMS as readonly string[]).filter(
  (p) => !['from', 'to', 'range', 'limit', 'cursor', 'format'].includes(p),
);

/**
 * What a refresh would add to a live first page, for the header to count while a record is open
 * (OpenRecordsHold): the records API's page of the same list from the newest record shown on. Its
 * instant again, as others of the same second may come after it: the ones shown are left out.
 */
function newerRecords(
  params: URLSearchParams,
  records: Awaited<ReturnType<typeof getRecords>>['records'],
): LiveHold['newer'] {
  const newest = records[0]?.timeLogged;
  if (typeof newest !== 'string') return undefined;
  const api = new URLSearchParams([...params].filter(([name]) => SAME_LIST.includes(name)));
  api.set('from', newest);
  api.set('limit', '100');
  return {
    url: `/api/v1/records?${api.toString()}`,
    shown: records.filter((r) => r.timeLogged === newest).map((r) => String(r.id)),
  };
}

/**
 * The list of records and how many match: the one panel of the screen that reads the database, so
 * with the database down it says so in place (Streamed) under the screen's controls, where the
 * whole page failed with HTTP 500 (QA).
 */
async function RecordList({
  query,
  tz,
  params,
  live,
}: {
  query: RecordQuery;
  tz: string;
  params: URLSearchParams;
  /** Whether the list refreshes as records come (a range ending now, the first page). */
  live: boolean;
}) {
  let result: Awaited<ReturnType<typeof getRecords>>;
  let total: number | null;
  let rawFrom: number;
  let listable: number | null | undefined;
  try {
    [result, total, rawFrom] = await Promise.all([
      getRecords(query),
      getRecordsTotal(query),
      getRawKeptFrom(),
    ]);
    // Raw records older than the retention are gone (RAW_RETENTION_DAYS): the rollups still count
    // them, the list cannot show them. How many of the total it can list, and from when.
    const from = query.filters.from.getTime();
    const to = query.filters.to.getTime();
    if (from < rawFrom) {
      listable =
        rawFrom >= to ? 0 : await getRecordsTotal(query, { ...query.filters, from: new Date(rawFrom) });
    }
  } catch (error) {
    if (!(error instanceof ParamError)) throw error;
    return <ParamErrorMessage error={error} />;
  }
  const time = wallTimeFormat(tz);
  // The count the link that opened this list showed, if it still shows that link's slice.
  const shown = readShownCount(params);
  const next = new URLSearchParams(params);
  if (result.nextCursor) next.set('cursor', result.nextCursor);
  // Pages go back in time (keyset); the way forward again is the newest page.
  const newest = new URLSearchParams(params);
  newest.delete('cursor');
  // The download holds every record of this list, all pages, in the window this page resolved (a
  // range ending "now" would end later by the time the link is followed).
  const csv = withSearchParams(params, {
    cursor: null,
    shown: null,
    limit: null,
    range: null,
    refresh: null,
    bucket: null,
    from: query.filters.from.toISOString(),
    to: query.filters.to.toISOString(),
    format: 'csv',
  });
  return (
    <section
      aria-label="Records"
      className="overflow-x-auto rounded-lg border border-gray-200 bg-white p-4 shadow-sm dark:border-gray-800 dark:bg-gray-900"
    >
      {total !== null ? (
        <p className="mb-1 text-sm" data-testid="records-total">
          {formatCount(total)} {total === 1 ? 'record matches' : 'records match'} these filters in this range
        </p>
      ) : null}
      {total !== null && shown !== null && shown !== total ? (
        <p className="mb-1 text-sm text-gray-600 dark:text-gray-300" data-testid="records-shown-count">
          {total > shown
            ? `${formatCount(total - shown)} more than the count you opened (${formatCount(shown)}): ${total - shown === 1 ? 'a record' : 'records'} of this range ingested after it was read.`
            : `${formatCount(shown - total)} fewer than the count you opened (${formatCount(shown)}).`}
        </p>
      ) : null}
      {listable !== undefined ? (
        <p
          className="mb-1 rounded bg-amber-50 px-2 py-1 text-sm text-amber-900 dark:bg-amber-950/40 dark:text-amber-100"
          data-testid="records-retention"
        >
          Raw records before {wallTimeFormat(tz, false).format(new Date(rawFrom))} ({tz}) are no longer kept
          (RAW_RETENTION_DAYS): the list holds{' '}
          {listable === null
            ? 'only the records'
            : listable === 0
              ? 'none of them'
              : `the ${formatCount(listable)}`}{' '}
          from then on
          {total !== null ? '; the total above counts them all, from the rollups' : ''}.
        </p>
      ) : null}
      <p className="mb-2 flex flex-wrap justify-between gap-x-4 text-xs text-gray-500">
        <span data-testid="records-shown">
          {formatCountOf(result.records.length, 'record')} on this page
          {params.get('cursor') ? ' (continued)' : ''}
        </span>
        {result.records.length ? (
          <a
            href={`/api/v1/records${csv}`}
            download
            className="text-sm text-blue-700 hover:underline dark:text-blue-300"
            data-testid="records-csv"
          >
            Download CSV (
            {listable === undefined
              ? total !== null
                ? `all ${formatCount(total)}`
                : 'every match, all pages'
              : listable === null
                ? 'every record kept'
                : `the ${formatCount(listable)} kept`}
            )
          </a>
        ) : null}
      </p>
      {result.records.length === 0 ? (
        <p className="text-sm text-gray-500">No record matches these filters in this range.</p>
      ) : (
        <OpenRecordsHold newer={live ? newerRecords(params, result.records) : undefined}>
          <table className="w-full text-sm max-md:block">
            <thead className="text-left text-xs text-gray-500 max-md:hidden">
              <tr>
                <th className="py-1 font-medium">Time ({tz})</th>
                <th className="py-1 font-medium">Type</th>
                <th className="py-1 font-medium">Recipient</th>
                <th className="py-1 font-medium">VirtualMTA</th>
                <th className="py-1 font-medium">Status</th>
                <th className="py-1 font-medium">Diagnostic</th>
              </tr>
            </thead>
            <tbody className="max-md:block">
              {result.records.map((r) => (
                <tr
                  key={String(r.id)}
                  className="border-t border-gray-100 align-top max-md:flex max-md:flex-wrap max-md:gap-x-3 max-md:py-1 dark:border-gray-800"
                >
                  <td className="whitespace-nowrap py-1 tabular-nums max-md:py-0">
                    {time.format(new Date(String(r.timeLogged)))}
                  </td>
                  <td className="py-1 max-md:py-0" title={COUNT_KEYS[r.type as RecordType]}>
                    {String(r.type)}
                  </td>
                  <td className="py-1 wrap-anywhere max-md:basis-full max-md:break-all max-md:py-0">
                    {r.rcpt == null && r.queue ? (
                      // A tq entry has no recipient, only its queue: its domain part can be a rollup
                      // (yahoo.rollup), which read as a recipient domain.
                      <>
                        <span className="text-gray-500">queue </span>
                        {String(r.queue)}
                      </>
                    ) : (
                      String(r.rcpt ?? r.rcptDomain ?? '')
                    )}
                  </td>
                  <td className="py-1 wrap-anywhere max-md:py-0">
                    <VmtaCell vmta={r.vmta} pool={r.vmtaPool} />
                  </td>
                  <td className="py-1 max-md:py-0">{String(r.dsnStatus ?? r.bounceCat ?? '')}</td>
                  <td className="py-1 max-md:min-w-0 max-md:basis-full max-md:py-0">
                    {/* A grid track of minmax(0, 1fr) asks the table for no width of its own: the
                        diagnostic takes the room the other columns leave (up to 28rem), where its
                        28rem pushed the table past its panel at 1,024 px. Cut short, its full text
                        is the summary's title, and a field of the record when opened. */}
                    <div className="grid grid-cols-[minmax(0,1fr)]">
                      <details
                        id={recordAnchor(String(r.id))}
                        data-record-id={String(r.id)}
                        data-time-logged={String(r.timeLogged)}
                      >
                        <summary
                          className="max-w-md cursor-pointer truncate max-md:max-w-full"
                          title={r.dsnDiag == null ? undefined : String(r.dsnDiag)}
                        >
                          {String(r.dsnDiag ?? '(no diagnostic) · every field')}
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
                                <dd className="whitespace-pre-line break-all">
                                  {detailValue(k, v, time, tz)}
                                </dd>
                              </div>
                            ))}
                        </dl>
                      </details>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </OpenRecordsHold>
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
  );
}

/** The records explorer: every filter of the stats, newest first, keyset pages, every field. */
export default async function RecordsPage({ searchParams }: { searchParams: SearchParams }) {
  const params = toSearchParams(await searchParams);
  let screen: Screen;
  let query: RecordQuery;
  try {
    screen = parseScreen(params);
    query = parseRecordQuery(params, 50);
  } catch (error) {
    if (!(error instanceof ParamError)) throw error;
    return <ParamErrorMessage error={error} />;
  }
  const key = params.toString();
  // A range ending now lists new records as they come, on the first page only: a deeper page
  // (keyset, `cursor`) is a place in the past the user went to read; refreshing it would move its
  // rows and its "Older records" link under their eyes.
  const olderPage = params.has('cursor');
  return (
    <>
      <ScreenHeader
        title="Records"
        screen={screen}
        stateKey={key}
        live={screen.live && !olderPage}
        liveHeld={
          screen.live && olderPage
            ? {
                reason: 'you are on an older page',
                resumeHref: withSearchParams(params, { cursor: null }),
                resumeLabel: 'Newest records, live',
              }
            : undefined
        }
        bucketed={false}
      />
      <RecordSearch />
      <Suspense key={`tf${key}`} fallback={null}>
        <TextFilters query={query} params={params} />
      </Suspense>
      <Streamed title="Records" stateKey={key} height="h-96">
        <RecordList query={query} tz={screen.tz} params={params} live={screen.live && !olderPage} />
      </Streamed>
    </>
  );
}
