import type { NextRequest } from 'next/server';
import { ENDPOINTS } from '@/lib/api/endpoints.ts';
import { errorResponse } from '@/lib/api/error-response.ts';

export const dynamic = 'force-dynamic';

/**
 * Any path under /api that no endpoint serves, whatever the method: a JSON 404 in the API's error
 * format, where Next.js answered its HTML "This page could not be found." (QA). An endpoint's own
 * folder takes precedence over this catch-all.
 */
function notFound(request: NextRequest): Response {
  return errorResponse(
    404,
    `no endpoint ${request.nextUrl.pathname}; the endpoints are ${ENDPOINTS.join(', ')}`,
  );
}

export const GET = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
export const OPTIONS = notFound;
