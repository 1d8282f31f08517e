import { describe, expect, it } from 'vitest';
import { ParamError } from '../filters.ts';
import { apiParams, WINDOW_PARAMS } from './params.ts';

const check = (query: string, allowed: readonly string[] = WINDOW_PARAMS) =>
  apiParams(new URL(`http://localhost/api/v1/stats/summary?${query}`), allowed);

const error = (query: string, allowed?: readonly string[]) => {
  try {
    check(query, allowed);
  } catch (e) {
    if (e instanceof ParamError) return { message: e.message, param: e.param };
    throw e;
  }
  throw new Error(`no error for ${query}`);
};

describe('apiParams', () => {
  it('passes the parameters an endpoint reads', () => {
    const params = check('from=2026-01-01&domain=gmail.com&domain=yahoo.com&tz=Europe/Paris&source=');
    expect(params.getAll('domain')).toEqual(['gmail.com', 'yahoo.com']);
  });

  it('refuses a name the endpoint does not read, a misspelt filter included', () => {
    expect(error('vmtas=vmta1')).toEqual({
      message: expect.stringMatching(
        /^unknown parameter 'vmtas'; this endpoint takes from, to, range, tz, domain/,
      ),
      param: 'vmtas',
    });
    expect(error('Domain=gmail.com')).toEqual({
      message: "unknown parameter 'Domain'; did you mean 'domain'? (names are case-sensitive)",
      param: 'Domain',
    });
    expect(error('x', [])).toMatchObject({ message: "unknown parameter 'x'; this endpoint takes tz" });
    expect(error('TZ=UTC', ['since'])).toMatchObject({
      message: "unknown parameter 'TZ'; did you mean 'tz'? (names are case-sensitive)",
    });
  });

  it('takes tz on every endpoint, checked as on the stats endpoints', () => {
    expect(check('tz=Europe/Paris', []).get('tz')).toBe('Europe/Paris');
    expect(check('since=2026-01-01&tz=UTC', ['since']).get('since')).toBe('2026-01-01');
    expect(error('tz=BST', [])).toMatchObject({ message: expect.stringContaining('IANA'), param: 'tz' });
  });

  it('refuses a value whose percent-escapes are not UTF-8', () => {
    expect(error('domain=%FF%FE')).toEqual({
      message: 'domain is not valid UTF-8 (a percent-escape of bytes that are not text)',
      param: 'domain',
    });
    expect(error('provider=%C3%28')).toMatchObject({ param: 'provider' });
    // A name too, as Next.js hands it over (`%FF=1` decoded to U+FFFD and encoded again): it read
    // "unknown parameter '�'".
    expect(error('%EF%BF%BD=1')).toEqual({ message: "parameter name '�' is not valid UTF-8", param: '�' });
    expect(error('%FF=1')).toMatchObject({ message: "parameter name '%FF' is not valid UTF-8" });
    // Valid multi-byte text and '+' for a space pass.
    expect(check('domain=b%C3%BCcher.de&provider=United+Internet').get('provider')).toBe('United Internet');
  });

  it('checks tz where no bucket reads it', () => {
    expect(error('tz=BST')).toMatchObject({ param: 'tz' });
  });
});
