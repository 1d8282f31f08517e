import { describe, expect, it } from 'vitest';
import { csvField, toCsv } from './csv.ts';

describe('csvField', () => {
  it('leaves plain values bare and empties null', () => {
    expect(csvField('a@b.com')).toBe('a@b.com');
    expect(csvField(3)).toBe('3');
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
  });

  it('quotes commas, quotes and line breaks, doubling quotes', () => {
    expect(csvField('554 5.1.1 invalid, sorry')).toBe('"554 5.1.1 invalid, sorry"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('a\nb')).toBe('"a\nb"');
    expect(csvField('a\rb')).toBe('"a\rb"');
  });
});

describe('toCsv', () => {
  it('writes a header and one CRLF-terminated row per item', () => {
    const csv = toCsv(
      [
        { name: 'n', value: (x: { n: number; s: string }) => x.n },
        { name: 's', value: (x) => x.s },
      ],
      [
        { n: 1, s: 'x,y' },
        { n: 2, s: '' },
      ],
    );
    expect(csv).toBe('n,s\r\n1,"x,y"\r\n2,\r\n');
  });

  it('writes only the header for no items', () => {
    expect(toCsv([{ name: 'a', value: () => 1 }], [])).toBe('a\r\n');
  });
});
