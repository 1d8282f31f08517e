// Encodes rows for PostgreSQL's COPY binary format, which the raw rows and the rollups are written
// in: no text for the server to parse (a timestamptz from text costs more than the B-tree insert
// of a rollup row), nothing to escape, and rows built in one growing buffer rather than as
// JavaScript strings (garbage that lives until the batch commits).
// https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.4

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
/** The start of a stream (signature, no flags, no header extension) and its end. */
export const COPY_BINARY_HEADER = Buffer.concat([SIGNATURE, Buffer.alloc(8)]);
export const COPY_BINARY_TRAILER = Buffer.from([0xff, 0xff]);
/** The largest value an int4 column holds. */
export const INT4_MAX = 2 ** 31 - 1;
/** 2000-01-01T00:00:00Z, PostgreSQL's epoch for timestamps. */
const PG_EPOCH_MS = Date.UTC(2000, 0, 1);
const TWO_32 = 2 ** 32;
/** Longest text copied by utf8's ASCII loop; longer text is encoded by Buffer#write. */
const ASCII_LOOP_MAX = 64;

/** Builds one COPY binary stream: header, rows (field by field), trailer. */
export class CopyBinaryWriter {
  private buf: Buffer;
  private view: DataView;
  private pos = 0;

  /**
   * `header`: start with the stream header. Without it the writer makes rows only (`rows()`), to
   * be framed by COPY_BINARY_HEADER and COPY_BINARY_TRAILER (a batch's chunks in one COPY).
   */
  constructor(initialBytes = 64 << 10, { header = true } = {}) {
    // Its own ArrayBuffer (never the shared pool): the rows may be transferred to another thread.
    this.buf = Buffer.from(new ArrayBuffer(Math.max(64, initialBytes)));
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    if (header) {
      this.buf.set(COPY_BINARY_HEADER, 0);
      this.pos = COPY_BINARY_HEADER.length;
    }
  }

  private room(bytes: number): void {
    if (this.pos + bytes <= this.buf.length) return;
    const next = Buffer.from(new ArrayBuffer(Math.max(this.buf.length * 2, this.pos + bytes)));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
    this.view = new DataView(next.buffer, next.byteOffset, next.byteLength);
  }

  /** Starts a row of `fields` fields. */
  row(fields: number): this {
    this.room(2);
    this.view.setInt16(this.pos, fields);
    this.pos += 2;
    return this;
  }

  int4(v: number): this {
    if (!Number.isInteger(v) || v < -(2 ** 31) || v >= 2 ** 31) throw new RangeError(`not an int4: ${v}`);
    this.room(8);
    this.view.setInt32(this.pos, 4);
    this.view.setInt32(this.pos + 4, v);
    this.pos += 8;
    return this;
  }

  /** An int8 from a safe integer (exact up to 2^53). */
  int8(v: number): this {
    if (!Number.isSafeInteger(v)) throw new RangeError(`not a safe integer: ${v}`);
    this.room(12);
    const hi = Math.floor(v / TWO_32);
    this.view.setInt32(this.pos, 8);
    this.view.setInt32(this.pos + 4, hi);
    this.view.setUint32(this.pos + 8, v - hi * TWO_32);
    this.pos += 12;
    return this;
  }

  /** A timestamptz from epoch milliseconds (microseconds since 2000-01-01 UTC on the wire). */
  timestamptz(ms: number): this {
    const us = (ms - PG_EPOCH_MS) * 1000;
    if (Number.isSafeInteger(us)) return this.int8(us);
    // Beyond ~285 years from 2000 microseconds exceed 2^53: exact in 64 bits.
    if (!Number.isSafeInteger(ms)) throw new RangeError(`not a time: ${ms}`);
    this.room(12);
    this.view.setInt32(this.pos, 8);
    this.view.setBigInt64(this.pos + 4, BigInt(ms - PG_EPOCH_MS) * 1000n);
    this.pos += 12;
    return this;
  }

  /** A NULL field. */
  nul(): this {
    this.room(4);
    this.view.setInt32(this.pos, -1);
    this.pos += 4;
    return this;
  }

  textOrNull(v: string | null | undefined): this {
    return v === null || v === undefined ? this.nul() : this.text(v);
  }

  /** NULL for null, undefined or a number that is not finite. */
  int4OrNull(v: number | null | undefined): this {
    return v === null || v === undefined || !Number.isFinite(v) ? this.nul() : this.int4(v);
  }

  timestamptzOrNull(d: Date | null | undefined): this {
    return d === null || d === undefined ? this.nul() : this.timestamptz(d.getTime());
  }

  /** A jsonb value from its JSON text (version 1 of the binary format: the text itself). */
  jsonb(json: string): this {
    return this.utf8(json, 1);
  }

  /** A text value. */
  text(v: string): this {
    return this.utf8(v);
  }

  /**
   * A field of UTF-8 text, after a version byte if given. NUL, which PostgreSQL text cannot hold,
   * is dropped (PowerMTA never writes one). Short ASCII text, most of a record's ~27 text fields,
   * is copied char by char: Buffer#write costs more per call than such a string has characters.
   */
  private utf8(v: string, version?: number): this {
    const prefix = version === undefined ? 0 : 1;
    const len = v.length;
    if (len <= ASCII_LOOP_MAX) {
      this.room(4 + prefix + len);
      const buf = this.buf;
      const start = this.pos + 4 + prefix;
      let i = 0;
      for (; i < len; i++) {
        const c = v.charCodeAt(i);
        if (c >= 0x80 || c === 0) break;
        buf[start + i] = c;
      }
      if (i === len) return this.fieldWritten(prefix, version, len);
    }
    const s = v.includes('\0') ? v.replaceAll('\0', '') : v;
    const max = s.length * 3;
    this.room(4 + prefix + max);
    return this.fieldWritten(prefix, version, this.buf.write(s, this.pos + 4 + prefix, max, 'utf8'));
  }

  /** Completes a text field whose `n` bytes follow its length word and version byte. */
  private fieldWritten(prefix: number, version: number | undefined, n: number): this {
    if (prefix) this.buf[this.pos + 4] = version as number;
    this.view.setInt32(this.pos, prefix + n);
    this.pos += 4 + prefix + n;
    return this;
  }

  /** Appends fields already encoded (bytes taken with `since`). */
  raw(bytes: Uint8Array): this {
    this.room(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
    return this;
  }

  /** Bytes written since `from` (to reuse an encoded run of fields with `raw`). */
  since(from: number): Uint8Array {
    return this.buf.subarray(from, this.pos);
  }

  get length(): number {
    return this.pos;
  }

  /** Bytes the buffer holds (written or not). */
  get capacity(): number {
    return this.buf.length;
  }

  /** What has been written, no trailer added (a view of the writer's buffer). */
  rows(): Uint8Array {
    return new Uint8Array(this.buf.buffer, this.buf.byteOffset, this.pos);
  }

  /** The whole stream, trailer included; the writer is not to be used afterwards. */
  finish(): Buffer {
    this.room(2);
    this.view.setInt16(this.pos, -1);
    this.pos += 2;
    return this.buf.subarray(0, this.pos);
  }
}

/**
 * Decodes a COPY binary stream of the column types given (the inverse of CopyBinaryWriter, for
 * tests and diagnostics): int4 and int8 as numbers, timestamptz as an ISO string, text as is.
 */
export function decodeCopyBinary(
  buf: Uint8Array,
  types: readonly ('int4' | 'int8' | 'timestamptz' | 'text' | 'jsonb')[],
): (number | string | null)[][] {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (!b.subarray(0, 11).equals(SIGNATURE)) throw new Error('not a COPY binary stream');
  let pos = COPY_BINARY_HEADER.length + b.readInt32BE(SIGNATURE.length + 4);
  const rows: (number | string | null)[][] = [];
  for (;;) {
    const fields = b.readInt16BE(pos);
    pos += 2;
    if (fields === -1) break;
    if (fields !== types.length) throw new Error(`row of ${fields} fields, expected ${types.length}`);
    const row: (number | string | null)[] = [];
    for (const type of types) {
      const len = b.readInt32BE(pos);
      pos += 4;
      if (len === -1) {
        row.push(null);
        continue;
      }
      if (type === 'int4') row.push(b.readInt32BE(pos));
      else if (type === 'text') row.push(b.toString('utf8', pos, pos + len));
      else if (type === 'jsonb') {
        if (b[pos] !== 1) throw new Error(`jsonb version ${b[pos]}`);
        row.push(b.toString('utf8', pos + 1, pos + len));
      } else {
        const big = b.readBigInt64BE(pos);
        row.push(type === 'int8' ? Number(big) : new Date(Number(big / 1000n) + PG_EPOCH_MS).toISOString());
      }
      pos += len;
    }
    rows.push(row);
  }
  if (pos !== b.length) throw new Error(`${b.length - pos} bytes after the trailer`);
  return rows;
}
