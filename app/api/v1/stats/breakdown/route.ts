import type { NextRequest } from 'next/server';
import { handle } from '@/lib/api/respond.ts';
import { parseChoice, parseFilters, parseLimit } from '@/lib/filters.ts';
import { DIMENSIONS, type Dimension } from '@/lib/queries/count-query.ts';
import { getBreakdown } from '@/lib/queries/get-breakdown.ts';

export const dynamic = 'force-dynamic';

export function GET(request: NextRequest) {
  return handle(() => {
    const params = request.nextUrl.searchParams;
    const filters = parseFilters(params);
    const by = parseChoice(params, 'by', Object.keys(DIMENSIONS) as Dimension[]);
    return getBreakdown(filters, by, parseLimit(params, 50, 1000));
  });
}
