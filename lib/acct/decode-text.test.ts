import { describe, expect, it } from 'vitest';
import { decodeText } from './decode-text.ts';

const decode = (buf: Buffer) => decodeText(buf, 0, buf.length);

describe('decodeText', () => {
  it('reads valid UTF-8 exactly as UTF-8, in every sequence length', () => {
    const s = 'ascii é ü € 日本語 😀 \u{10FFFF}';
    expect(decode(Buffer.from(s))).toBe(s);
    // Only the range asked for.
    const buf = Buffer.from(`xx${s}yy`);
    expect(decodeText(buf, 2, buf.length - 2)).toBe(s);
  });

  it('reads bytes that are not UTF-8 as Windows-1252, keeping the valid UTF-8 around them', () => {
    // "Boîte pleine" from a server writing Latin-1: î is 0xEE, which UTF-8 decoding made U+FFFD.
    expect(decode(Buffer.from('smtp;552 Bo\xeete pleine', 'latin1'))).toBe('smtp;552 Boîte pleine');
    // Windows-1252's own range: € (0x80), curly quotes (0x93, 0x94), … (0x85); undefined 0x81 kept as U+0081.
    expect(decode(Buffer.from([0x80, 0x93, 0x61, 0x94, 0x85, 0x81]))).toBe('€“a”…\u0081');
    // Valid UTF-8 and stray bytes in one line: each read its own way.
    const mixed = Buffer.concat([
      Buffer.from('ü '),
      Buffer.from([0xe9]),
      Buffer.from(' 日本 '),
      Buffer.from([0xff]),
    ]);
    expect(decode(mixed)).toBe('ü é 日本 ÿ');
  });

  it('treats truncated, overlong and surrogate sequences as separate bytes', () => {
    // A 3-byte sequence cut after 2 bytes, at the end and before ASCII.
    expect(decode(Buffer.from([0x61, 0xe6, 0x97]))).toBe('aæ—');
    expect(decode(Buffer.from([0xe6, 0x97, 0x41]))).toBe('æ—A');
    // Overlong "/" (0xC0 0xAF) and an encoded surrogate (0xED 0xA0 0x80) are not UTF-8.
    expect(decode(Buffer.from([0xc0, 0xaf]))).toBe('À¯');
    expect(decode(Buffer.from([0xed, 0xa0, 0x80]))).toBe('í\u00a0€');
    // Past U+10FFFF.
    expect(decode(Buffer.from([0xf4, 0x90, 0x80, 0x80]))).toBe('ô\u0090€€');
  });
});
