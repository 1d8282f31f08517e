import { type NextRequest, NextResponse } from 'next/server';
import { errorResponse } from './lib/api/error-response.ts';
import { SCREENS } from './lib/screens.ts';

function isUtf8(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * A path whose percent-escapes are not UTF-8 (`/vmtas/%FF`, `/api/v1/%FF`) is answered 400:
 * Next.js could not decode it and answered a bare plain-text 500 "Internal Server Error" (QA).
 * Under /api in the API's JSON error format (a bad escape in the query is the endpoint's to refuse,
 * naming the parameter: lib/api/params.ts); a detail page with a way back to its list. Every other
 * request passes through untouched.
 */
export function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl;
  if (isUtf8(pathname)) return NextResponse.next();
  if (pathname.startsWith('/api/')) {
    return errorResponse(
      400,
      `the path ${pathname} is not valid UTF-8 (a percent-escape of bytes that are not text)`,
    );
  }
  const [, screen] = pathname.split('/');
  const spec = Object.values(SCREENS).find((s) => s.path === `/${screen}`);
  const list = spec?.path ?? '/';
  const body = `<!doctype html><meta charset="utf-8"><title>Bad address · acctscope</title>
<p role="alert">Invalid ${spec ? `${spec.noun} key` : 'address'}: it is not UTF-8 text.</p>
<p><a href="${list}">All ${spec?.items ?? 'screens'} →</a></p>`;
  return new NextResponse(body, { status: 400, headers: { 'content-type': 'text/html; charset=utf-8' } });
}

// Next.js reads the matcher from the source: literal paths (the API, SCREENS' detail pages).
export const config = {
  matcher: [
    '/api/:path*',
    '/domains/:key',
    '/providers/:key',
    '/vmtas/:key',
    '/pools/:key',
    '/ips/:key',
    '/jobs/:key',
  ],
};
