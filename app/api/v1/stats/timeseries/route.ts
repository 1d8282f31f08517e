import type { NextRequest } from 'next/server';
import { apiParams, WINDOW_PARAMS } from '@/lib/api/params.ts';
import { handle } from '@/lib/api/respond.ts';
import { ParamError, parseChoice, parseFilters, parseTimeZone } from '@/lib/filters.ts';
import { BUCKETS, bucketsFit, chooseBucket, MAX_BUCKETS } from '@/lib/queries/buckets.ts';
import { getTimeseries } from '@/lib/queries/get-timeseries.ts';
import { getMinuteKeptFrom } from '@/lib/queries/query-counts.ts';

export { DELETE, OPTIONS, PATCH, POST, PUT } from '@/lib/api/read-only.ts';

export const dynamic = 'force-dynamic';

export function GET(request: NextRequest) {
  return handle(async () => {
    const params = apiParams(request.nextUrl, [...WINDOW_PARAMS, 'bucket']);
    const filters = parseFilters(params);
    const minuteFrom = params.has('bucket') ? Number.NEGATIVE_INFINITY : await getMinuteKeptFrom();
    const bucket = parseChoice(params, 'bucket', BUCKETS, chooseBucket(filters.from, filters.to, minuteFrom));
    const tz = parseTimeZone(params);
    if (!bucketsFit(filters.from, filters.to, bucket, tz)) {
      throw new ParamError(
        `more than ${MAX_BUCKETS} ${bucket} buckets in this range; choose a larger bucket`,
        'bucket',
      );
    }
    return getTimeseries(filters, bucket, tz);
  });
}
