import type { NextRequest } from 'next/server';
import { apiParams, WINDOW_PARAMS } from '@/lib/api/params.ts';
import { handle } from '@/lib/api/respond.ts';
import { parseFilters } from '@/lib/filters.ts';
import { getSummary } from '@/lib/queries/get-summary.ts';

export { DELETE, OPTIONS, PATCH, POST, PUT } from '@/lib/api/read-only.ts';

export const dynamic = 'force-dynamic';

export function GET(request: NextRequest) {
  return handle(() => getSummary(parseFilters(apiParams(request.nextUrl, WINDOW_PARAMS))));
}
