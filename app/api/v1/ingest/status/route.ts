import type { NextRequest } from 'next/server';
import { apiParams } from '@/lib/api/params.ts';
import { handle } from '@/lib/api/respond.ts';
import { getIngestStatus } from '@/lib/queries/get-ingest-status.ts';
import { getRejects } from '@/lib/queries/get-rejects.ts';

export { DELETE, OPTIONS, PATCH, POST, PUT } from '@/lib/api/read-only.ts';

export const dynamic = 'force-dynamic';

/** The 20 newest rejects come with the status; /api/v1/ingest/rejects pages through them all. */
const LATEST_REJECTS = 20;

export function GET(request: NextRequest) {
  return handle(async () => {
    apiParams(request.nextUrl, []);
    const [status, rejects] = await Promise.all([getIngestStatus(), getRejects({ limit: LATEST_REJECTS })]);
    return {
      ...status,
      rejectCount: rejects.totalRejects,
      latestRejects: rejects.rejects,
      rejectsNextCursor: rejects.nextCursor,
    };
  });
}
