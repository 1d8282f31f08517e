import { type NextRequest, NextResponse } from 'next/server';
import { SCREENS } from './lib/screens.ts';

/**
 * A detail page whose key is not percent-encoded UTF-8 (`/vmtas/%FF`) is answered 400 with a way
 * back to its list: Next.js could not decode the segment and answered a bare 500 "Internal Server
 * Error" (QA). Every other request passes through untouched.
 */
export function proxy(request: NextRequest) {
  const [, screen, key] = request.nextUrl.pathname.split('/');
  try {
    decodeURIComponent(key ?? '');
    return NextResponse.next();
  } catch {
    const spec = Object.values(SCREENS).find((s) => s.path === `/${screen}`);
    const list = spec?.path ?? '/';
    const body = `<!doctype html><meta charset="utf-8"><title>Bad address · acctscope</title>
<p role="alert">Invalid ${spec ? `${spec.noun} key` : 'address'}: it is not UTF-8 text.</p>
<p><a href="${list}">All ${spec?.items ?? 'screens'} →</a></p>`;
    return new NextResponse(body, { status: 400, headers: { 'content-type': 'text/html; charset=utf-8' } });
  }
}

// Next.js reads the matcher from the source: literal paths (SCREENS' detail pages).
export const config = {
  matcher: ['/domains/:key', '/providers/:key', '/vmtas/:key', '/pools/:key', '/ips/:key', '/jobs/:key'],
};
