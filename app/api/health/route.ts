import { getHealth } from '@/lib/queries/get-health.ts';

export { DELETE, OPTIONS, PATCH, POST, PUT } from '@/lib/api/read-only.ts';

export const dynamic = 'force-dynamic';

export async function GET() {
  const { ok, ...health } = await getHealth();
  return Response.json(
    { status: ok ? 'ok' : 'error', ...health },
    { status: ok ? 200 : 503, headers: { 'cache-control': 'no-store' } },
  );
}
