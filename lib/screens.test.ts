import { NextRequest } from 'next/server';
import { describe, expect, it } from 'vitest';
import { config, proxy } from '../proxy.ts';
import { SCREENS } from './screens.ts';

describe('proxy.ts', () => {
  it("matches every detail page's path (Next.js needs them written out; SCREENS holds them)", () => {
    expect([...config.matcher].sort()).toEqual(
      Object.values(SCREENS)
        .map((s) => `${s.path}/:key`)
        .sort(),
    );
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
