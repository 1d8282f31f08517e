import { ParamError } from '../filters.ts';
import { logger } from '../logger.ts';
import { wantsCsv } from './csv.ts';
import { errorResponse } from './error-response.ts';

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
  return respond(() => jsonResponse(fn));
}

/** A request the server cannot take on now (too many of its kind running): 503, retry later. */
export class BusyError extends Error {}

/** A CSV answer: the document (or a stream of it) and its file name (and any more headers). */
export interface CsvBody {
  csv: string | ReadableStream<Uint8Array>;
  filename: string;
  headers?: Record<string, string>;
}

/**
 * An endpoint that answers JSON or CSV (see wantsCsv); errors, a bad `format` included, are
 * answered as JSON exactly as by every other endpoint (handle()).
 */
export function handleJsonOrCsv(
  request: { nextUrl: URL; headers: Headers },
  json: () => Promise<unknown>,
  csv: () => Promise<CsvBody>,
): Promise<Response> {
  return respond(() =>
    wantsCsv(request.nextUrl.searchParams, request.headers.get('accept'))
      ? csvResponse(csv)
      : jsonResponse(json),
  );
}

async function jsonResponse(fn: () => Promise<unknown>): Promise<Response> {
  return Response.json(await fn(), { headers: { 'cache-control': 'no-store' } });
}

async function csvResponse(fn: () => Promise<CsvBody>): Promise<Response> {
  const { csv, filename, headers } = await fn();
  return new Response(csv, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename=${filename}`,
      'cache-control': 'no-store',
      ...headers,
    },
  });
}

async function respond(fn: () => Promise<Response>): Promise<Response> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof ParamError) return errorResponse(400, error.message, error.param);
    if (error instanceof BusyError) {
      const busy = errorResponse(503, error.message);
      busy.headers.set('retry-after', '5');
      return busy;
    }
    if (isDatabaseUnreachable(error)) {
      logger.warn({ err: error }, 'API request failed: database unreachable');
      return errorResponse(503, 'the database is unreachable; retry shortly');
    }
    logger.error({ err: error }, 'API request failed');
    return errorResponse(500, 'internal error; see the server log');
  }
}
