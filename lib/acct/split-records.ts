import { isAscii, isUtf8 } from 'node:buffer';
import { decodeText } from './decode-text.ts';
import type { RawLine } from './types.ts';

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const COMMA = 0x2c;
const DEFAULT_MAX_RECORD_BYTES = 1024 * 1024;

export interface SplitOptions {
  /** buf[0] is the first byte of the file: a UTF-8 BOM there is skipped. Defaults to baseOffset === 0. */
  atFileStart?: boolean;
  /** A record still inside quotes after this many bytes is treated as an unbalanced quote. */
  maxRecordBytes?: number;
  /**
   * No more bytes will follow buf (the file was rotated away, or a one-shot run reached a file
   * nobody writes to any more): a quote still open at the end is unbalanced, not unfinished.
   */
  final?: boolean;
}

export interface SplitResult {
  lines: RawLine[];
  /** Bytes of buf up to and including the last complete record's newline; the caller keeps the rest. */
  consumed: number;
}

function hasBom(buf: Buffer, at: number): boolean {
  return buf.length >= at + 3 && buf[at] === 0xef && buf[at + 1] === 0xbb && buf[at + 2] === 0xbf;
}

/**
 * Cuts a chunk of an accounting file into complete CSV records, by bytes so that offsets are exact
 * file positions (the ingest commits them as its checkpoint). A newline inside quotes belongs to the
 * record; a record without its newline yet is left for the next read, never returned half-written.
 */
export function splitRecords(buf: Buffer, baseOffset: number, opts: SplitOptions = {}): SplitResult {
  const atFileStart = opts.atFileStart ?? baseOffset === 0;
  const maxRecordBytes = opts.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  const len = buf.length;
  const lines: RawLine[] = [];
  let start = atFileStart && hasBom(buf, 0) ? 3 : 0;
  let consumed = 0;
  // Position of the next quote at or after the scan cursor (-1: none left in buf); searched lazily
  // so lines without quotes cost a single indexOf for the newline.
  let nextQuote = buf.indexOf(QUOTE, start);
  // Pure-ASCII chunks (the usual case) are decoded once and sliced, since then a byte offset is also
  // a character offset; decoding each record on its own costs a copy and a native call per record.
  const ascii = isAscii(buf) ? buf.toString('latin1', 0, len) : null;
  // Otherwise UTF-8, as PowerMTA writes; where some bytes are not (a remote reply in a legacy
  // encoding, logged byte for byte), those lines decode them as Windows-1252 (decodeText).
  const utf8 = ascii === null && isUtf8(buf);

  while (start < len) {
    let cursor = start;
    let nl = -1;
    let malformedEnd = -1;
    for (;;) {
      nl = buf.indexOf(LF, cursor);
      if (nextQuote !== -1 && nextQuote < cursor) nextQuote = buf.indexOf(QUOTE, cursor);
      if (nextQuote === -1 || nl === -1 || nextQuote > nl) break;
      // Inside quotes from nextQuote: newlines until the closing quote belong to the record.
      const close = buf.indexOf(QUOTE, nextQuote + 1);
      const limit = start + maxRecordBytes;
      if ((close === -1 && (len > limit || opts.final)) || close > limit) {
        // One unbalanced quote must not swallow the rest of the file: give up on this record after its
        // first physical line, which the row parser will reject, and resync on the next line.
        const firstNl = buf.indexOf(LF, start);
        if (firstNl !== -1 && (close === -1 || firstNl < close)) {
          malformedEnd = firstNl;
          break;
        }
      }
      if (close === -1) {
        nl = -1; // the record continues past the end of buf
        break;
      }
      // A quoted value that crosses a line ends at a quote followed by a comma, a line end or
      // another quote (a doubled one). Anything else means the quote that opened it was never
      // closed (a row cut off mid-value, as a crash leaves it) and this one opens a value of a later
      // row: pairing them would make every row up to the next such cut one malformed record. Give
      // up on the first physical line, which the row parser rejects, and resync on the next.
      if (close > nl && close + 1 < len) {
        const after = buf[close + 1];
        if (after !== COMMA && after !== CR && after !== LF && after !== QUOTE) {
          malformedEnd = buf.indexOf(LF, start);
          break;
        }
      }
      cursor = close + 1;
      nextQuote = buf.indexOf(QUOTE, cursor);
    }
    if (malformedEnd !== -1) nl = malformedEnd;
    if (nl === -1) break;

    const textEnd = nl > start && buf[nl - 1] === CR ? nl - 1 : nl;
    if (textEnd > start) {
      lines.push({
        offset: baseOffset + start,
        end: baseOffset + nl + 1,
        text:
          ascii !== null
            ? ascii.slice(start, textEnd)
            : utf8
              ? buf.toString('utf8', start, textEnd)
              : decodeText(buf, start, textEnd),
      });
    }
    start = nl + 1;
    consumed = start;
  }
  return { lines, consumed };
}
