import { describe, expect, it } from 'vitest';
import { copyNumber, copyText, createDateEncoder } from './copy-text.ts';

describe('COPY text encoding', () => {
  it('writes null as \\N and escapes the characters COPY treats specially', () => {
    expect(copyText(null)).toBe('\\N');
    expect(copyText(undefined)).toBe('\\N');
    expect(copyText('a\tb\nc\rd\\e')).toBe('a\\tb\\nc\\rd\\\\e');
    expect(copyText('x\0y')).toBe('xy');
    expect(copyText('plain, "quoted"')).toBe('plain, "quoted"');
  });
  it('writes dates as ISO UTC and numbers as digits', () => {
    const date = createDateEncoder();
    expect(date(new Date(Date.UTC(2019, 1, 8, 21, 54, 5)))).toBe('2019-02-08T21:54:05.000Z');
    expect(date(new Date(Date.UTC(2019, 1, 8, 21, 54, 5)))).toBe('2019-02-08T21:54:05.000Z');
    expect(date(new Date(Date.UTC(2019, 1, 8, 21, 54, 6)))).toBe('2019-02-08T21:54:06.000Z');
    expect(date(null)).toBe('\\N');
    expect(copyNumber(41159)).toBe('41159');
    expect(copyNumber(Number.NaN)).toBe('\\N');
    expect(copyNumber(null)).toBe('\\N');
  });
});
