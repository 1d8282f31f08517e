import type { NextRequest } from 'next/server';
import { apiParams, WINDOW_PARAMS } from '@/lib/api/params.ts';
import { handle } from '@/lib/api/respond.ts';
import { getRecords, parseRecordQuery } from '@/lib/queries/get-records.ts';

export { DELETE, OPTIONS, PATCH, POST, PUT } from '@/lib/api/read-only.ts';

export const dynamic = 'force-dynamic';

const PARAMS = [
  ...WINDOW_PARAMS,
  'type',
  'rcpt',
  'queue',
  'q',
  'diag',
  'template',
  'dsnCode',
  'limit',
  'cursor',
];

export function GET(request: NextRequest) {
  return handle(() => getRecords(parseRecordQuery(apiParams(request.nextUrl, PARAMS), 50)));
}
