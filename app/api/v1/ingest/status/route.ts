import type { NextRequest } from 'next/server';
import { apiParams } from '@/lib/api/params.ts';
import { handle } from '@/lib/api/respond.ts';
import { getIngestStatus } from '@/lib/queries/get-ingest-status.ts';

export { DELETE, OPTIONS, PATCH, POST, PUT } from '@/lib/api/read-only.ts';

export const dynamic = 'force-dynamic';

export function GET(request: NextRequest) {
  return handle(() => {
    apiParams(request.nextUrl, []);
    return getIngestStatus();
  });
}
