import { describe, expect, it } from 'vitest';
import {
  COPY_BINARY_HEADER,
  COPY_BINARY_TRAILER,
  CopyBinaryWriter,
  decodeCopyBinary,
} from './copy-binary.ts';

describe('CopyBinaryWriter', () => {
  it('writes the signature, big-endian fields and the trailer PostgreSQL expects', () => {
    const w = new CopyBinaryWriter(64);
    // 2000-01-01T00:00:01.5Z is 1,500,000 µs after PostgreSQL's epoch.
    w.row(4)
      .timestamptz(Date.UTC(2000, 0, 1, 0, 0, 1, 500))
      .int4(-2)
      .int8(2 ** 32 + 7)
      .text('é');
    const hex = w.finish().toString('hex');
    expect(hex).toBe(
      [
        '5047434f50590aff0d0a00', // PGCOPY\n\377\r\n\0
        '00000000', // flags
        '00000000', // header extension length
        '0004', // fields in the row
        '00000008',
        '000000000016e360', // timestamptz 1,500,000
        '00000004',
        'fffffffe', // int4 -2
        '00000008',
        '0000000100000007', // int8 2^32 + 7
        '00000002',
        'c3a9', // text 'é' in UTF-8
        'ffff', // trailer
      ].join(''),
    );
  });

  it('round-trips rows through its decoder, growing past its first buffer', () => {
    const w = new CopyBinaryWriter(64);
    const rows: (string | number)[][] = [];
    for (let i = 0; i < 500; i++) {
      const ms = Date.UTC(1990, 0, 1) + i * 40 * 86_400_000 + i; // 1990 to 2044: both sides of 2000
      const key = i % 7 === 0 ? `tab\there ${'ü'.repeat(i % 13)}` : `d${i}.example`;
      w.row(4)
        .timestamptz(ms)
        .int4(i)
        .int8(-i * 1e9)
        .text(key);
      rows.push([new Date(ms).toISOString(), i, 0 - i * 1e9, key]);
    }
    expect(decodeCopyBinary(w.finish(), ['timestamptz', 'int4', 'int8', 'text'])).toEqual(rows);
  });

  it('drops NUL from text and refuses numbers its column cannot hold', () => {
    const w = new CopyBinaryWriter();
    w.row(1).text('a\0b');
    expect(decodeCopyBinary(w.finish(), ['text'])).toEqual([['ab']]);
    expect(() => new CopyBinaryWriter().int4(2 ** 31)).toThrow(RangeError);
    expect(() => new CopyBinaryWriter().int4(1.5)).toThrow(RangeError);
    expect(() => new CopyBinaryWriter().int8(2 ** 53)).toThrow(RangeError);
  });

  it('writes the same bytes for short ASCII, non-ASCII, NUL and long text, with and without a version', () => {
    const cases = [
      '',
      'gmail.com',
      'a'.repeat(64), // the longest text of the ASCII loop
      'a'.repeat(65),
      `${'x'.repeat(40)}é`, // leaves the loop after 40 chars
      `${'x'.repeat(70)}é`,
      'caf\u00e9 \u{1F600}',
      'nul\0here', // NUL in short text
      `${'y'.repeat(80)}\0`, // and in long text
      '\x7f',
    ];
    const w = new CopyBinaryWriter(16);
    for (const v of cases) w.row(2).text(v).jsonb(JSON.stringify(v));
    const bytes = Buffer.from(w.finish());
    let expected = Buffer.from(COPY_BINARY_HEADER);
    for (const v of cases) {
      const text = Buffer.from(v.replaceAll('\0', ''), 'utf8');
      const json = Buffer.from(JSON.stringify(v).replaceAll('\0', ''), 'utf8');
      const field = (b: Buffer, version?: number) => {
        const head = Buffer.alloc(version === undefined ? 4 : 5);
        head.writeInt32BE(b.length + (version === undefined ? 0 : 1));
        if (version !== undefined) head[4] = version;
        return Buffer.concat([head, b]);
      };
      expected = Buffer.concat([expected, Buffer.from([0, 2]), field(text), field(json, 1)]);
    }
    expected = Buffer.concat([expected, COPY_BINARY_TRAILER]);
    expect(bytes.equals(expected)).toBe(true);
  });
});
