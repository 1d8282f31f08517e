import { describe, expect, it } from 'vitest';
import { createTimeFormatter, parseZoneOffset, quoteCsv } from './csv.ts';
import { parseCsv } from './read-acct-files.ts';

describe('quoteCsv', () => {
  it('quotes only values that need it and doubles inner quotes', () => {
    expect(quoteCsv('smtp;250 ok dirdel')).toBe('smtp;250 ok dirdel');
    expect(quoteCsv('PIPELINING,SIZE')).toBe('"PIPELINING,SIZE"');
    expect(quoteCsv('"Shop" <a@b>')).toBe('"""Shop"" <a@b>"');
    expect(quoteCsv('550-a\n550 b')).toBe('"550-a\n550 b"');
  });

  it('round-trips through an RFC 4180 parser', () => {
    const values = ['a', 'b,c', 'd"e', 'f\ng', ''];
    expect(parseCsv(`${values.map(quoteCsv).join(',')}\n`)).toEqual([values]);
  });
});

describe('createTimeFormatter', () => {
  it('writes PowerMTA ISO times in the given offset', () => {
    const t = Date.parse('2024-05-13T23:59:58.900Z');
    expect(createTimeFormatter(0)(t)).toBe('2024-05-13 23:59:58+0000');
    expect(createTimeFormatter(parseZoneOffset('+0100'))(t)).toBe('2024-05-14 00:59:58+0100');
    expect(createTimeFormatter(parseZoneOffset('-05:30'))(t)).toBe('2024-05-13 18:29:58-0530');
  });

  it('rejects malformed offsets', () => {
    expect(() => parseZoneOffset('CET')).toThrow(/timeZoneOffset/);
  });
});
