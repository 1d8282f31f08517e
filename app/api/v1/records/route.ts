import type { NextRequest } from 'next/server';
import { handle } from '@/lib/api/respond.ts';
import { ParamError, parseFilters, parseLimit, single } from '@/lib/filters.ts';
import { getRecords, parseRecordTypes } from '@/lib/queries/get-records.ts';

export const dynamic = 'force-dynamic';

export function GET(request: NextRequest) {
  return handle(() => {
    const params = request.nextUrl.searchParams;
    const q = single(params, 'q');
    if (q && q.length > 200) throw new ParamError('q must be at most 200 characters', 'q');
    return getRecords({
      filters: parseFilters(params),
      types: parseRecordTypes(params.getAll('type')),
      rcpt: single(params, 'rcpt'),
      q,
      limit: parseLimit(params, 50, 500),
      cursor: single(params, 'cursor'),
    });
  });
}
