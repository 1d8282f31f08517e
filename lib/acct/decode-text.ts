import { isUtf8 } from 'node:buffer';

/**
 * Windows-1252 for bytes 0x80–0x9F (the rest of the bytes read as Latin-1, its code points): what
 * a remote server writing a legacy encoding most likely meant ("Boîte pleine" from a French MX).
 * The five bytes Windows-1252 leaves undefined read as the C1 control of the same number.
 */
const CP1252_80_9F = [
  0x20ac, 0x81, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8d,
  0x017d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a,
  0x0153, 0x9d, 0x017e, 0x0178,
];

/** Length of the well-formed UTF-8 sequence at buf[i] (before `end`), or 0 when there is none. */
function utf8SequenceLength(buf: Uint8Array, i: number, end: number): number {
  const b = buf[i];
  const cont = (k: number, lo = 0x80, hi = 0xbf) => i + k < end && buf[i + k] >= lo && buf[i + k] <= hi;
  if (b >= 0xc2 && b <= 0xdf) return cont(1) ? 2 : 0;
  if (b === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if ((b >= 0xe1 && b <= 0xec) || b === 0xee || b === 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (b === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0; // not a surrogate
  if (b === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (b >= 0xf1 && b <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (b === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

/**
 * The text of buf[start, end): UTF-8, as accounting files are written, with each byte that is not
 * part of a well-formed UTF-8 sequence read as Windows-1252. A remote server's reply in a legacy
 * encoding, which PowerMTA logs byte for byte, keeps its letters: decoded as UTF-8 alone each such
 * byte became U+FFFD, and the text was lost. Valid UTF-8 reads exactly as `toString('utf8')`.
 */
export function decodeText(buf: Buffer, start: number, end: number): string {
  if (isUtf8(buf.subarray(start, end))) return buf.toString('utf8', start, end);
  let out = '';
  let run = start; // start of the current run of valid UTF-8
  for (let i = start; i < end; ) {
    const b = buf[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    const n = utf8SequenceLength(buf, i, end);
    if (n > 0) {
      i += n;
      continue;
    }
    out += buf.toString('utf8', run, i) + String.fromCharCode(b < 0xa0 ? CP1252_80_9F[b - 0x80] : b);
    i++;
    run = i;
  }
  return out + buf.toString('utf8', run, end);
}
