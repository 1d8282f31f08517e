import type { NextRequest } from 'next/server';
import { apiParams, SERIES_PARAMS } from '@/lib/api/params.ts';
import { handle } from '@/lib/api/respond.ts';
import { parseChoice, parseLimit } from '@/lib/filters.ts';
import { parseKeptScreen } from '@/lib/kept-screen.ts';
import { getLatency } from '@/lib/queries/get-latency.ts';
import { getLatencyBreakdown } from '@/lib/queries/get-latency-breakdown.ts';
import { INSIGHT_DIMENSIONS, type InsightDimension } from '@/lib/queries/insight-query.ts';

export { DELETE, OPTIONS, PATCH, POST, PUT } from '@/lib/api/read-only.ts';

export const dynamic = 'force-dynamic';

const BY = Object.keys(INSIGHT_DIMENSIONS) as InsightDimension[];

/** Delivery latency (ms): count and p50/p90/p99 overall and per bucket; `by=` adds a breakdown. */
export function GET(request: NextRequest) {
  return handle(async () => {
    const params = apiParams(request.nextUrl, [...SERIES_PARAMS, 'by', 'limit']);
    const { filters, bucket, tz } = await parseKeptScreen(params);
    const by = params.has('by') ? parseChoice(params, 'by', BY) : null;
    const limit = parseLimit(params, 50, 10_000);
    const [latency, breakdown] = await Promise.all([
      getLatency(filters, bucket, tz),
      by ? getLatencyBreakdown(filters, by, limit) : null,
    ]);
    return {
      from: filters.from.toISOString(),
      to: filters.to.toISOString(),
      bucket,
      tz,
      ...latency,
      ...(breakdown ? { breakdown } : {}),
    };
  });
}
