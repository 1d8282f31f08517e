import { describe, expect, it } from 'vitest';
import { csvField, isPlainAddress, toCsv, windowFileName } from './csv.ts';

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

  it('writes text a spreadsheet would run as a formula with a leading quote mark', () => {
    expect(csvField('=HYPERLINK("http://evil.example/","help")')).toBe(
      '"\'=HYPERLINK(""http://evil.example/"",""help"")"',
    );
    expect(csvField("=cmd|' /C calc'!A0")).toBe("'=cmd|' /C calc'!A0");
    expect(csvField('+1 555 0100')).toBe("'+1 555 0100");
    expect(csvField('-x')).toBe("'-x");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\t=1')).toBe("'\t=1");
    expect(csvField('\r=1')).toBe('"\'\r=1"');
    // Only at the start, and never a number.
    expect(csvField('smtp;550 5.7.1 a=b+c')).toBe('smtp;550 5.7.1 a=b+c');
    expect(csvField(-0.25)).toBe('-0.25');
  });

  it('leaves a string as it is where the column says it is safe', () => {
    expect(csvField('-news@example.com', isPlainAddress)).toBe('-news@example.com');
    expect(csvField('=x(1)@example.com', isPlainAddress)).toBe("'=x(1)@example.com");
  });
});

describe('isPlainAddress', () => {
  it('accepts addresses without the characters a formula call needs', () => {
    for (const a of [
      '-news@example.com',
      '+1@example.com',
      '=a+b@example.com',
      'Q@example.NET',
      'k@bücher.de',
    ])
      expect(isPlainAddress(a), a).toBe(true);
    for (const a of [
      '=HYPERLINK("http://x")@example.com',
      "=cmd|'/Ccalc'!A0@example.com",
      '-a b@example.com',
      '=SUM(1,2)',
      '-a@b@example.com',
      '@example.com',
      '-news@',
    ])
      expect(isPlainAddress(a), a).toBe(false);
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

  it("applies a column's verbatim rule to its own values only", () => {
    const columns = [
      { name: 'rcpt', value: (x: { r: string; d: string }) => x.r, verbatim: isPlainAddress },
      { name: 'diag', value: (x: { r: string; d: string }) => x.d },
    ];
    expect(toCsv(columns, [{ r: '-a@example.com', d: '-a@example.com' }])).toBe(
      "rcpt,diag\r\n-a@example.com,'-a@example.com\r\n",
    );
  });

  it('writes only the header for no items', () => {
    expect(toCsv([{ name: 'a', value: () => 1 }], [])).toBe('a\r\n');
  });
});

describe('windowFileName', () => {
  it('names a window by its UTC times, and says they are UTC', () => {
    // Berlin's 7 December: without the Z it read as 6 December 23:00 local time.
    expect(
      windowFileName(
        'breakdown-provider',
        new Date('2026-12-06T23:00:00Z'),
        new Date('2026-12-07T23:00:00Z'),
      ),
    ).toBe('breakdown-provider-20261206T2300Z-20261207T2300Z.csv');
  });
});
