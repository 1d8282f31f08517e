const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const COMMA = 0x2c;

/**
 * End of the last complete record in `buf`: the byte just past the last newline that is outside
 * quotes (0 if none). A cheap pre-split, so the worker can hand consecutive chunks to parsing
 * threads before the previous chunk is parsed; splitRecords stays the authority (a chunk whose
 * parse consumes a different length is re-read). It applies splitRecords' rule for a value cut off
 * inside quotes (a crash leaves one): a quote that closes a value across a line must be followed
 * by a comma, a line end or another quote; otherwise the record ends at its first line. Without the
 * rule every later quote paired with the wrong partner, and the complete rows after such a cut
 * waited for 1 MiB more bytes or 30 s of silence.
 */
export function lastRecordEnd(buf: Uint8Array): number {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const len = b.length;
  let start = 0; // the current record's first byte
  let pos = 0;
  let last = 0;
  for (;;) {
    const nl = b.indexOf(LF, pos);
    if (nl === -1) return last;
    const q = b.indexOf(QUOTE, pos);
    if (q === -1 || nl < q) {
      last = nl + 1;
      start = pos = nl + 1;
      continue;
    }
    // A quoted stretch: skip to its closing quote (a doubled quote closes and reopens it).
    const close = b.indexOf(QUOTE, q + 1);
    if (close === -1) return last;
    if (close > nl && close + 1 < len) {
      const after = b[close + 1];
      if (after !== COMMA && after !== CR && after !== LF && after !== QUOTE) {
        // The quote at q was never closed: the record is its first line (rejected by the parse).
        last = b.indexOf(LF, start) + 1;
        start = pos = last;
        continue;
      }
    }
    pos = close + 1;
  }
}

/**
 * Whether splitRecords, given `buf` (from a record's first byte, with no record end in it by
 * lastRecordEnd), cuts that record at its first line: a quote that crosses a line is not closed
 * `maxQuoteBytes` after the record's start (SplitOptions.maxRecordBytes), or closes where no value
 * can end. Otherwise the record is not complete yet, and more bytes may complete it.
 */
export function cutsUnclosedQuote(buf: Uint8Array, maxQuoteBytes: number): boolean {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const len = b.length;
  const firstNl = b.indexOf(LF);
  if (firstNl === -1) return false;
  let pos = 0;
  for (;;) {
    const nl = b.indexOf(LF, pos);
    const q = b.indexOf(QUOTE, pos);
    if (q === -1 || nl === -1 || q > nl) return false;
    const close = b.indexOf(QUOTE, q + 1);
    if (close === -1) return len > maxQuoteBytes;
    if (close > maxQuoteBytes && firstNl < close) return true;
    if (close > nl && close + 1 < len) {
      const after = b[close + 1];
      if (after !== COMMA && after !== CR && after !== LF && after !== QUOTE) return true;
    }
    pos = close + 1;
  }
}
