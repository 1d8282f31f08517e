/**
 * The one error format of the API: `{ error: { message, param? } }`. A module of its own, free of
 * the logger and the database, because proxy.ts answers with it too.
 */
export function errorResponse(status: number, message: string, param?: string): Response {
  return Response.json({ error: param ? { message, param } : { message } }, { status });
}
