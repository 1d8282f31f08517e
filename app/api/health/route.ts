import { getHealth } from '@/lib/queries/get-health.ts';

export const dynamic = 'force-dynamic';

export async function GET() {
  const health = await getHealth();
  return Response.json(
    health.ok ? { status: 'ok', database: 'up' } : { status: 'error', database: 'down', error: health.error },
    { status: health.ok ? 200 : 503, headers: { 'cache-control': 'no-store' } },
  );
}
