import { describe, expect, it } from 'vitest';
import { readShownCount, sliceSignature, withShownCount } from './shown-count.ts';

const href =
  '/records?from=2026-01-10T10%3A00%3A00.000Z&to=2026-01-10T11%3A00%3A00.000Z&type=d&domain=gmail.com';
const paramsOf = (h: string) => new URLSearchParams(h.slice(h.indexOf('?') + 1));

describe('shown count', () => {
  it('is read back from the link it was added to', () => {
    expect(readShownCount(paramsOf(withShownCount(href, 1042)))).toBe(1042);
    expect(readShownCount(paramsOf(withShownCount(href, 0)))).toBe(0);
  });
  it('survives paging and a refresh setting, as the list holds the same slice', () => {
    const p = paramsOf(withShownCount(href, 7));
    p.set('cursor', 'abc');
    p.set('limit', '100');
    p.set('refresh', '5');
    expect(readShownCount(p)).toBe(7);
  });
  it('is dropped when the slice changes: a filter added, changed or removed, or the window', () => {
    for (const change of [
      (p: URLSearchParams) => p.set('vmta', 'v1'),
      (p: URLSearchParams) => p.set('type', 'b'),
      (p: URLSearchParams) => p.delete('domain'),
      (p: URLSearchParams) => p.set('to', '2026-01-10T11:01:00.000Z'),
    ]) {
      const p = paramsOf(withShownCount(href, 7));
      change(p);
      expect(readShownCount(p)).toBeNull();
    }
  });
  it('does not depend on the order of the parameters', () => {
    const a = new URLSearchParams('a=1&b=2&b=3');
    const b = new URLSearchParams('b=2&a=1&b=3');
    expect(sliceSignature(a)).toBe(sliceSignature(b));
    expect(sliceSignature(a)).not.toBe(sliceSignature(new URLSearchParams('a=1&b=3&b=2x')));
  });
  it('ignores a malformed value and leaves links elsewhere alone', () => {
    expect(readShownCount(new URLSearchParams('shown=12'))).toBeNull();
    expect(readShownCount(new URLSearchParams('shown=x.1'))).toBeNull();
    expect(withShownCount('/ingest?fileId=3#rejects', 2)).toBe('/ingest?fileId=3#rejects');
  });
});
