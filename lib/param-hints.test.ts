import { describe, expect, it } from 'vitest';
import { misspeltParams, SCREEN_PARAMS } from './param-hints.ts';

const hints = (query: string) => misspeltParams(new URLSearchParams(query));

describe('misspeltParams', () => {
  it('names a misspelt parameter with the one it most likely meant', () => {
    expect(hints('Domain=gmail.com')).toEqual([{ name: 'Domain', like: 'domain' }]);
    expect(hints('vmtas=x&provdier=Google')).toEqual([
      { name: 'vmtas', like: 'vmta' },
      { name: 'provdier', like: 'provider' },
    ]);
    expect(hints('TZ=UTC&sourceip=1.2.3.4&bounceCategories=x')).toEqual([
      { name: 'TZ', like: 'tz' },
      { name: 'sourceip', like: 'sourceIp' },
      { name: 'bounceCategories', like: 'bounceCategory' },
    ]);
  });

  it('says nothing of the parameters screens read, or of names like none of them', () => {
    expect(hints(SCREEN_PARAMS.map((p) => `${p}=1`).join('&'))).toEqual([]);
    expect(hints('utm_source=mail&fbclid=abc&x=1&ref=dash')).toEqual([]);
    // Short names are not guessed between.
    expect(hints('t=1&tx=UTC')).toEqual([]);
  });
});
