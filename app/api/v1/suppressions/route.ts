import type { NextRequest } from 'next/server';
import { toCsv } from '@/lib/api/csv.ts';
import { errorResponse, handle } from '@/lib/api/respond.ts';
import { ParamError, parseChoice } from '@/lib/filters.ts';
import { getSuppressions, parseSuppressionQuery, type Suppression } from '@/lib/queries/get-suppressions.ts';

export const dynamic = 'force-dynamic';

const CSV_COLUMNS: { name: string; value: (s: Suppression) => unknown }[] = [
  { name: 'rcpt', value: (s) => s.rcpt },
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

/** JSON unless `format=csv`, or no `format` and an Accept header asking for text/csv. */
function wantsCsv(request: NextRequest): boolean {
  const params = request.nextUrl.searchParams;
  if (params.has('format')) return parseChoice(params, 'format', ['json', 'csv']) === 'csv';
  return /\btext\/csv\b/i.test(request.headers.get('accept') ?? '');
}

/**
 * Recipients to suppress, as JSON `{ since, suppressions, nextCursor, hasMore }` or as CSV with
 * the next page in `X-Next-Cursor` and `Link: <…>; rel="next"` headers.
 */
export async function GET(request: NextRequest) {
  const params = request.nextUrl.searchParams;
  let csv: boolean;
  let query: ReturnType<typeof parseSuppressionQuery>;
  try {
    csv = wantsCsv(request);
    query = parseSuppressionQuery(params);
  } catch (error) {
    if (error instanceof ParamError) return errorResponse(400, error.message, error.param);
    throw error;
  }
  if (!csv) return handle(() => getSuppressions(query));
  let result: Awaited<ReturnType<typeof getSuppressions>>;
  try {
    result = await getSuppressions(query);
  } catch (error) {
    // The same 503/500 answers and logging as every JSON endpoint.
    return handle(() => Promise.reject(error));
  }
  const headers = new Headers({
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': 'attachment; filename=suppressions.csv',
    'cache-control': 'no-store',
    'x-has-more': String(result.hasMore),
  });
  if (result.nextCursor) {
    const next = new URLSearchParams(params);
    next.set('format', 'csv');
    next.set('cursor', result.nextCursor);
    headers.set('x-next-cursor', result.nextCursor);
    headers.set('link', `</api/v1/suppressions?${next.toString()}>; rel="next"`);
  }
  return new Response(toCsv(CSV_COLUMNS, result.suppressions), { headers });
}
