import type { NextRequest } from 'next/server';
import { apiParams, SERIES_PARAMS } from '@/lib/api/params.ts';
import { handle } from '@/lib/api/respond.ts';
import { parseChoice, parseLimit } from '@/lib/filters.ts';
import { parseKeptScreen } from '@/lib/kept-screen.ts';
import { DIMENSIONS, type Dimension } from '@/lib/queries/count-query.ts';
import { getBounceBreakdown, getBounces } from '@/lib/queries/get-bounces.ts';

export { DELETE, OPTIONS, PATCH, POST, PUT } from '@/lib/api/read-only.ts';

export const dynamic = 'force-dynamic';

const BY = Object.keys(DIMENSIONS) as Dimension[];

/** Hard/soft/expired/remote bounces: totals, per bucket, per category; `by=` adds a breakdown. */
export function GET(request: NextRequest) {
  return handle(async () => {
    const params = apiParams(request.nextUrl, [...SERIES_PARAMS, 'by', 'limit']);
    const { filters, bucket, tz } = await parseKeptScreen(params);
    const by = params.has('by') ? parseChoice(params, 'by', BY) : null;
    const limit = parseLimit(params, 50, 10_000);
    const [bounces, breakdown] = await Promise.all([
      getBounces(filters, bucket, tz),
      by ? getBounceBreakdown(filters, by, limit) : null,
    ]);
    return breakdown ? { ...bounces, breakdown } : bounces;
  });
}
