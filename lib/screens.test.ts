import { NextRequest } from 'next/server';
import { describe, expect, it } from 'vitest';
import { config, proxy } from '../proxy.ts';
import { SCREENS } from './screens.ts';

describe('proxy.ts', () => {
  it("matches the API and every detail page's path (Next.js needs them written out; SCREENS holds them)", () => {
    expect([...config.matcher].sort()).toEqual(
      ['/api/:path*', ...Object.values(SCREENS).map((s) => `${s.path}/:key`)].sort(),
    );
  });

  it("answers a path under /api that is not UTF-8 with the API's JSON 400", async () => {
    const bad = proxy(new NextRequest('http://127.0.0.1/api/v1/stats/%E0%A4%A'));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      error: {
        message:
          'the path /api/v1/stats/%E0%A4%A is not valid UTF-8 (a percent-escape of bytes that are not text)',
      },
    });
    const good = proxy(new NextRequest('http://127.0.0.1/api/v1/stats/summary?domain=%FF'));
    expect(good.headers.get('x-middleware-next')).toBe('1');
  });

  it('answers 400 with a link to the list for a key that is not UTF-8, and passes the others', async () => {
    const bad = proxy(new NextRequest('http://127.0.0.1/vmtas/%FF'));
    expect(bad.status).toBe(400);
    const body = await bad.text();
    expect(body).toContain('Invalid VirtualMTA key: it is not UTF-8 text.');
    expect(body).toContain('<a href="/vmtas">All VirtualMTAs →</a>');
    const good = proxy(new NextRequest('http://127.0.0.1/vmtas/vmta%201'));
    expect(good.headers.get('x-middleware-next')).toBe('1');
  });
});
