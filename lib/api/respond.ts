import { ParamError } from '../filters.ts';
import { logger } from '../logger.ts';

/** The one error format of the API: `{ error: { message, param? } }`. */
export function errorResponse(status: number, message: string, param?: string): Response {
  return Response.json({ error: param ? { message, param } : { message } }, { status });
}

function isDatabaseUnreachable(error: unknown): boolean {
  const e = error as { code?: string; meta?: { driverAdapterError?: { cause?: { kind?: string } } } };
  return (
    e?.code === 'P1001' ||
    e?.code === 'ECONNREFUSED' ||
    e?.meta?.driverAdapterError?.cause?.kind === 'DatabaseNotReachable'
  );
}

/**
 * Wraps a route handler body: parse → query → respond. Bad parameters become 400 with the
 * parameter named; anything else is logged and becomes a 500 without internals.
 */
export async function handle(fn: () => Promise<unknown>): Promise<Response> {
  try {
    return Response.json(await fn(), { headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    if (error instanceof ParamError) return errorResponse(400, error.message, error.param);
    if (isDatabaseUnreachable(error)) {
      logger.warn({ err: error }, 'API request failed: database unreachable');
      return errorResponse(503, 'the database is unreachable; retry shortly');
    }
    logger.error({ err: error }, 'API request failed');
    return errorResponse(500, 'internal error; see the server log');
  }
}
