import type { NextRequest } from 'next/server';
import { type CsvColumn, isPlainAddress, toCsv } from '@/lib/api/csv.ts';
import { apiParams } from '@/lib/api/params.ts';
import { handleJsonOrCsv } from '@/lib/api/respond.ts';
import { getSuppressions, parseSuppressionQuery, type Suppression } from '@/lib/queries/get-suppressions.ts';

export { DELETE, OPTIONS, PATCH, POST, PUT } from '@/lib/api/read-only.ts';

export const dynamic = 'force-dynamic';

const PARAMS = ['since', 'until', 'cursor', 'limit', 'format'];

/**
 * Text a spreadsheet would read as a formula gets a leading `'` (csvField), except a `rcpt` that is
 * a plain address (`-news@example.com`): it is what a list database matches, so it stays as logged.
 */
const CSV_COLUMNS: CsvColumn<Suppression>[] = [
  { name: 'rcpt', value: (s) => s.rcpt, verbatim: isPlainAddress },
  { name: 'rcptDomain', value: (s) => s.rcptDomain },
  { name: 'reason', value: (s) => s.reason },
  { name: 'time', value: (s) => s.time },
  { name: 'bounceCategory', value: (s) => s.bounceCategory },
  { name: 'dsnStatus', value: (s) => s.dsnStatus },
  { name: 'dsnDiag', value: (s) => s.dsnDiag },
  { name: 'feedbackType', value: (s) => s.feedbackType },
  { name: 'vmta', value: (s) => s.vmta },
  { name: 'jobId', value: (s) => s.jobId },
  { name: 'source', value: (s) => s.source },
  { name: 'eventCount', value: (s) => s.eventCount },
  { name: 'recordId', value: (s) => s.recordId },
  { name: 'filePath', value: (s) => s.file.path },
];

/**
 * Recipients to suppress, as JSON `{ since, suppressions, nextCursor, hasMore }` or (`format=csv`,
 * or Accept: text/csv) as CSV with the next page in `X-Next-Cursor` and `Link: <…>; rel="next"`
 * headers.
 */
export function GET(request: NextRequest) {
  const params = request.nextUrl.searchParams;
  const query = () => parseSuppressionQuery(apiParams(request.nextUrl, PARAMS));
  return handleJsonOrCsv(
    request,
    () => getSuppressions(query()),
    async () => {
      const result = await getSuppressions(query());
      const headers: Record<string, string> = { 'x-has-more': String(result.hasMore) };
      if (result.nextCursor) {
        const next = new URLSearchParams(params);
        next.set('format', 'csv');
        next.set('cursor', result.nextCursor);
        headers['x-next-cursor'] = result.nextCursor;
        headers.link = `</api/v1/suppressions?${next.toString()}>; rel="next"`;
      }
      return { csv: toCsv(CSV_COLUMNS, result.suppressions), filename: 'suppressions.csv', headers };
    },
  );
}
