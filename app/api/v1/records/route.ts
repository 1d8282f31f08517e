import type { NextRequest } from 'next/server';
import { handle } from '@/lib/api/respond.ts';
import { getRecords, parseRecordQuery } from '@/lib/queries/get-records.ts';

export const dynamic = 'force-dynamic';

export function GET(request: NextRequest) {
  return handle(() => getRecords(parseRecordQuery(request.nextUrl.searchParams, 50)));
}
