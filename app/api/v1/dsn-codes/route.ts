import type { NextRequest } from 'next/server';
import { apiParams, WINDOW_PARAMS } from '@/lib/api/params.ts';
import { handle } from '@/lib/api/respond.ts';
import { parseFilters, parseLimit } from '@/lib/filters.ts';
import { getDsnCodes } from '@/lib/queries/get-dsn-codes.ts';

export { DELETE, OPTIONS, PATCH, POST, PUT } from '@/lib/api/read-only.ts';

export const dynamic = 'force-dynamic';

/** Bounces, remote bounces and deferrals per DSN status code (X.Y.Z), largest first. */
export function GET(request: NextRequest) {
  return handle(() => {
    const params = apiParams(request.nextUrl, [...WINDOW_PARAMS, 'limit']);
    return getDsnCodes(parseFilters(params), parseLimit(params, 50, 1000));
  });
}
