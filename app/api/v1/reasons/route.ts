import type { NextRequest } from 'next/server';
import { apiParams, SERIES_PARAMS } from '@/lib/api/params.ts';
import { handle } from '@/lib/api/respond.ts';
import { ParamError, parseLimit, single } from '@/lib/filters.ts';
import { parseKeptScreen } from '@/lib/kept-screen.ts';
import { getReasonSeries } from '@/lib/queries/get-reason-series.ts';
import { getReasons, REASON_TYPES, type ReasonType } from '@/lib/queries/get-reasons.ts';

export { DELETE, OPTIONS, PATCH, POST, PUT } from '@/lib/api/read-only.ts';

export const dynamic = 'force-dynamic';

function parseReasonTypes(params: URLSearchParams): ReasonType[] {
  const types = params
    .getAll('type')
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
  for (const t of types) {
    if (!(REASON_TYPES as readonly string[]).includes(t)) {
      throw new ParamError(`type must be one of ${REASON_TYPES.join(', ')}, got '${t}'`, 'type');
    }
  }
  return types as ReasonType[];
}

/**
 * Deferral and bounce reasons (diagnostic templates) of a slice, largest first; `trend=1` adds
 * each reason's series in the screen's bucket.
 */
export function GET(request: NextRequest) {
  return handle(async () => {
    const params = apiParams(request.nextUrl, [...SERIES_PARAMS, 'type', 'limit', 'trend']);
    const { filters, bucket, tz } = await parseKeptScreen(params);
    const types = parseReasonTypes(params);
    const limit = parseLimit(params, 50, 1000);
    const trend = single(params, 'trend');
    if (trend !== undefined && trend !== '1' && trend !== '0')
      throw new ParamError('trend must be 0 or 1', 'trend');
    const reasons = await getReasons(filters, { types, limit });
    if (trend !== '1') return reasons;
    const series = await getReasonSeries(
      filters,
      reasons.rows.slice(0, 100).map((r) => r.key),
      bucket,
      tz,
      types,
    );
    return {
      ...reasons,
      bucket,
      tz,
      rows: reasons.rows.map((r) => ({ ...r, trend: series.get(r.key) ?? null })),
    };
  });
}
