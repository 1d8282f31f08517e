import { ParamError } from '../filters.ts';
import { logger } from '../logger.ts';
import { wantsCsv } from './csv.ts';

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
  return respond(async () => Response.json(await fn(), { headers: { 'cache-control': 'no-store' } }));
}

/**
 * handle() for a CSV body: `fn` gives the document and its file name (and any more headers);
 * errors are answered as JSON, exactly as by every other endpoint.
 */
export interface CsvBody {
  csv: string;
  filename: string;
  headers?: Record<string, string>;
}

export async function handleCsv(fn: () => Promise<CsvBody>): Promise<Response> {
  return respond(async () => {
    const { csv, filename, headers } = await fn();
    return new Response(csv, {
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename=${filename}`,
        'cache-control': 'no-store',
        ...headers,
      },
    });
  });
}

/**
 * An endpoint that answers JSON or CSV (see wantsCsv): `json` through handle(), `csv` through
 * handleCsv(); a bad `format` is a 400 like any bad parameter.
 */
export function handleJsonOrCsv(
  request: { nextUrl: URL; headers: Headers },
  json: () => Promise<unknown>,
  csv: () => Promise<CsvBody>,
): Promise<Response> {
  return respond(() =>
    wantsCsv(request.nextUrl.searchParams, request.headers.get('accept')) ? handleCsv(csv) : handle(json),
  );
}

async function respond(fn: () => Promise<Response>): Promise<Response> {
  try {
    return await fn();
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
