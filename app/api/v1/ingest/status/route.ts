import { handle } from '@/lib/api/respond.ts';
import { getIngestStatus } from '@/lib/queries/get-ingest-status.ts';

export const dynamic = 'force-dynamic';

export function GET() {
  return handle(() => getIngestStatus());
}
