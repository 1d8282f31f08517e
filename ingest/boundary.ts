/**
 * End of the last complete record in `buf`: the byte just past the last newline that is outside
 * quotes (0 if none). A cheap pre-split, so the worker can hand consecutive chunks to parsing
 * threads before the previous chunk is parsed; splitRecords stays the authority (a chunk whose
 * parse consumes a different length is re-read).
 */
export function lastRecordEnd(buf: Uint8Array): number {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  let pos = 0;
  let last = 0;
  for (;;) {
    const nl = b.indexOf(0x0a, pos);
    if (nl === -1) return last;
    const q = b.indexOf(0x22, pos);
    if (q === -1 || nl < q) {
      last = nl + 1;
      pos = nl + 1;
      continue;
    }
    // A quoted stretch: skip to its closing quote (a doubled quote closes and reopens it).
    const close = b.indexOf(0x22, q + 1);
    if (close === -1) return last;
    pos = close + 1;
  }
}
