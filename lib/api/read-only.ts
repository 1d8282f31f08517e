import { errorResponse } from './error-response.ts';

/** The methods every endpoint takes: the API only reads (HEAD is GET without the body). */
export const ALLOWED_METHODS = 'GET, HEAD, OPTIONS';

function methodNotAllowed(request: Request): Response {
  const response = errorResponse(
    405,
    `${request.method} is not allowed: this API only reads (${ALLOWED_METHODS})`,
  );
  response.headers.set('allow', ALLOWED_METHODS);
  return response;
}

// Re-exported by every route beside its GET: Next.js answered any other method with an empty 405,
// not the API's JSON error, and named no allowed method. OPTIONS is written out because the one
// Next.js adds would list these methods as allowed.
export const POST = methodNotAllowed;
export const PUT = methodNotAllowed;
export const PATCH = methodNotAllowed;
export const DELETE = methodNotAllowed;
export function OPTIONS(): Response {
  return new Response(null, { status: 204, headers: { allow: ALLOWED_METHODS } });
}
