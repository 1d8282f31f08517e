import type { NextRequest } from 'next/server';
import { apiParams } from '@/lib/api/params.ts';
import { handle } from '@/lib/api/respond.ts';
import { getIncidents, INCIDENT_PARAMS, parseIncidentQuery } from '@/lib/queries/get-incidents.ts';

export { DELETE, OPTIONS, PATCH, POST, PUT } from '@/lib/api/read-only.ts';

export const dynamic = 'force-dynamic';

export function GET(request: NextRequest) {
  return handle(() => getIncidents(parseIncidentQuery(apiParams(request.nextUrl, INCIDENT_PARAMS))));
}
