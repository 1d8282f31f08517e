import { describe, expect, it } from 'vitest';
import { copyRow, copyValue } from './copy-text.ts';

describe('copyValue', () => {
  it('writes null as \\N and escapes the characters COPY treats specially', () => {
    expect(copyValue(null)).toBe('\\N');
    expect(copyValue(undefined)).toBe('\\N');
    expect(copyValue('a\tb\nc\rd\\e')).toBe('a\\tb\\nc\\rd\\\\e');
    expect(copyValue('x\0y')).toBe('xy');
    expect(copyValue('plain, "quoted"')).toBe('plain, "quoted"');
  });
  it('writes dates as ISO UTC and numbers as digits', () => {
    expect(copyValue(new Date(Date.UTC(2019, 1, 8, 21, 54, 5)))).toBe('2019-02-08T21:54:05.000Z');
    expect(copyValue(41159)).toBe('41159');
    expect(copyValue(Number.NaN)).toBe('\\N');
  });
  it('joins a row with tabs and ends it with a newline', () => {
    expect(copyRow(['d', null, 3])).toBe('d\t\\N\t3\n');
  });
});
