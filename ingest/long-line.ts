import type { FileHandle } from 'node:fs/promises';
import { decodeText } from '../lib/acct/decode-text.ts';
import { type PreparedChunk, type PrepareInput, prepareChunk, type RejectAt } from './prepare.ts';

// A record longer than the worker's limit (64 MiB) is not read: the limit bounds what one record
// holds in memory. It becomes a reject, its first line: from its start to the first line break
// after it, a line break inside a quoted value included (a quoted value spanning lines that long
// is taken as a quote never closed, as splitRecords takes one still open after 1 MiB). A line
// longer than a chunk is not held while its end is looked for: the worker scans ahead for its line
// break a piece at a time, then reads it whole if it is within the limit; a file still being
// written waits for it as for any partial line.

const LF = 0x0a;
const CR = 0x0d;
/** Bytes read at a time while scanning a long line for its line break. */
export const SCAN_BYTES = 1 << 20;
/** Bytes of an over-long line kept as its reject's text (whole characters: up to 3 fewer). */
export const LONG_LINE_TEXT_BYTES = 1024;

/**
 * A line longer than a chunk, without a line break in its first chunk: where it starts, how far it
 * has been scanned for its line break, and where it ends (past its line break) once found.
 */
export interface LongLine {
  offset: number;
  scannedTo: number;
  end: number | null;
}

/**
 * Offset just past the first line break in bytes [from, to) of the file, or -1 if there is none;
 * reads SCAN_BYTES at a time into one buffer.
 */
export async function findLineEnd(fd: FileHandle, from: number, to: number): Promise<number> {
  const buf = Buffer.allocUnsafe(Math.min(SCAN_BYTES, Math.max(0, to - from)));
  for (let pos = from; pos < to; ) {
    const { bytesRead } = await fd.read(buf, 0, Math.min(buf.length, to - pos), pos);
    if (bytesRead === 0) break;
    const nl = buf.subarray(0, bytesRead).indexOf(LF);
    if (nl !== -1) return pos + nl + 1;
    pos += bytesRead;
  }
  return -1;
}

/** `bytes` as a size in the reject's reason: 64 MiB, 256 KiB, 1000 bytes. */
export function formatLimit(bytes: number): string {
  if (bytes % (1 << 20) === 0) return `${bytes / (1 << 20)} MiB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

/**
 * The reject's text: the line's first LONG_LINE_TEXT_BYTES (without its line break), cut before
 * a UTF-8 sequence that does not fit.
 */
function textOf(head: Buffer, lineBytes: number): { text: string; cut: boolean } {
  let end = Math.min(head.length, lineBytes);
  if (end > 0 && head[end - 1] === LF) end--;
  if (end > 0 && head[end - 1] === CR) end--;
  const cut = end > LONG_LINE_TEXT_BYTES;
  if (cut) {
    end = LONG_LINE_TEXT_BYTES;
    // The last sequence the cut reaches into: left out if it does not fit (lead byte 11xxxxxx).
    let lead = end - 1;
    while (lead > end - 4 && lead > 0 && (head[lead] & 0xc0) === 0x80) lead--;
    const b = head[lead];
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    if (lead + need > end) end = lead;
  }
  return { text: decodeText(head, 0, end), cut };
}

/**
 * The reject of the over-long record at `offset`, whose first line ends at `end` (past its line
 * break, or the end of a finished file when `atFileEnd`). `quoted`: the line break ends the first
 * line of a record whose quoted value holds it.
 */
export async function longLineReject(
  fd: FileHandle,
  line: { offset: number; end: number; maxRecordBytes: number; atFileEnd?: boolean; quoted?: boolean },
): Promise<RejectAt> {
  const length = line.end - line.offset;
  const head = Buffer.alloc(Math.min(length, LONG_LINE_TEXT_BYTES + 4));
  await fd.read(head, 0, head.length, line.offset);
  const { text, cut } = textOf(head, length);
  const limit = formatLimit(line.maxRecordBytes);
  const shown = cut ? `; the text is its first ${LONG_LINE_TEXT_BYTES} bytes` : '';
  const reason = line.quoted
    ? `record longer than ${limit} (the limit of one record): a quoted value holds a line break and ` +
      `the record has not ended ${limit} after its start, so the quote is taken as never closed; ` +
      `its first line (${length} bytes) is rejected and reading resumes on the next line${shown}`
    : `line longer than ${limit} (the limit of one record): ${length} bytes ` +
      `${line.atFileEnd ? 'to the end of the file, without a line break' : 'up to its line break'}, ` +
      `not read; reading resumes after it${shown}`;
  return { offset: line.offset, text, reason };
}

/** A prepared chunk of `length` bytes holding nothing but `reject` (an over-long line). */
export function rejectChunk(input: PrepareInput, length: number, reject: RejectAt): PreparedChunk {
  const empty = prepareChunk(Buffer.alloc(0), input);
  return { ...empty, consumed: length, rejects: [reject] };
}
