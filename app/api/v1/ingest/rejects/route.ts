import type { NextRequest } from 'next/server';
import { apiParams } from '@/lib/api/params.ts';
import { handle } from '@/lib/api/respond.ts';
import { getRejects, parseRejectQuery } from '@/lib/queries/get-rejects.ts';

export { DELETE, OPTIONS, PATCH, POST, PUT } from '@/lib/api/read-only.ts';

export const dynamic = 'force-dynamic';

const PARAMS = ['source', 'fileId', 'limit', 'cursor'];

/** Rejected lines, newest first, in keyset pages: `{ rejects, totalRejects, nextCursor }`. */
export function GET(request: NextRequest) {
  return handle(() => getRejects(parseRejectQuery(apiParams(request.nextUrl, PARAMS), 50)));
}
