import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { join } from 'node:path';
import { formatUtcDay } from './csv.ts';

export type FileKind = 'main' | 'tq' | 'fbl';

export interface WriterOptions {
  dir: string;
  /** File name stem: `acct` gives `acct-YYYY-MM-DD-NNNN.csv`. */
  stem: string;
  columns: readonly string[];
  eol: string;
  maxFileBytes?: number;
  /** Live mode continues today's newest file instead of replacing it. */
  append?: boolean;
}

interface Segment {
  path: string;
  /** True while the file has not been opened yet and must be created (truncated). */
  create: boolean;
  buffers: Buffer[];
}

const CHUNK_BYTES = 1 << 20;

function fileName(stem: string, day: string, sequence: number): string {
  return `${stem}-${day}-${String(sequence).padStart(4, '0')}.csv`;
}

/**
 * One accounting file stream with PowerMTA's rotation: a new file at each UTC midnight and when
 * `maxFileBytes` would be exceeded. Rows are encoded straight into 1 MiB buffers (no big string
 * joins) and `flush` hands them to the file with one writev.
 */
export class RotatingCsvWriter {
  readonly files: string[] = [];
  bytes = 0;
  private day = '';
  private dayEnd = Number.NEGATIVE_INFINITY;
  private sequence = 0;
  private fileBytes = 0;
  private fileHasRows = false;
  private segments: Segment[] = [];
  private chunk: Buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  private offset = 0;
  private sealedBytes = 0;
  private handle: FileHandle | null = null;
  private handlePath = '';
  private readonly header: string;

  constructor(private readonly opts: WriterOptions) {
    this.header = opts.columns.join(',') + opts.eol;
  }

  get needsFlush(): boolean {
    return this.sealedBytes + this.offset >= CHUNK_BYTES;
  }

  /** Adds one complete record; `time` (epoch ms) picks the day file. */
  append(time: number, line: string): void {
    if (time >= this.dayEnd || time < this.dayEnd - 86_400_000) this.startDay(time);
    const text = line + this.opts.eol;
    const max = this.opts.maxFileBytes;
    if (max !== undefined && this.fileHasRows && this.fileBytes + Buffer.byteLength(text) > max) {
      this.sequence++;
      this.beginFile(null);
    }
    this.fileBytes += this.put(text);
    this.fileHasRows = true;
  }

  async flush(): Promise<void> {
    this.seal(Buffer.allocUnsafe(CHUNK_BYTES));
    for (const segment of this.segments) {
      if (segment.path !== this.handlePath) {
        await this.handle?.close();
        this.handle = await open(segment.path, segment.create ? 'w' : 'a');
        this.handlePath = segment.path;
      }
      segment.create = false;
      if (segment.buffers.length > 0) await this.handle?.writev(segment.buffers);
      segment.buffers = [];
    }
    this.segments = this.segments.slice(-1);
    this.sealedBytes = 0;
  }

  async close(): Promise<void> {
    await this.flush();
    await this.handle?.close();
    this.handle = null;
    this.handlePath = '';
  }

  /** Encodes text into the current chunk; returns its byte length. */
  private put(text: string): number {
    if (this.offset + text.length * 3 > this.chunk.length) {
      this.seal(Buffer.allocUnsafe(Math.max(CHUNK_BYTES, text.length * 3)));
    }
    const size = this.chunk.write(text, this.offset);
    this.offset += size;
    this.bytes += size;
    return size;
  }

  /** Hands the filled part of the chunk to the current segment and continues in `next`. */
  private seal(next: Buffer): void {
    if (this.offset > 0) {
      this.segments[this.segments.length - 1].buffers.push(this.chunk.subarray(0, this.offset));
      this.sealedBytes += this.offset;
    }
    this.chunk = next;
    this.offset = 0;
  }

  private startDay(time: number): void {
    this.day = formatUtcDay(time);
    this.dayEnd = Date.parse(`${this.day}T00:00:00Z`) + 86_400_000;
    this.sequence = 0;
    if (this.opts.append) {
      const existing = this.findLatest();
      if (existing) {
        this.sequence = existing.sequence;
        this.beginFile(existing.size);
        return;
      }
    }
    this.beginFile(null);
  }

  /** Starts a segment for the current day/sequence; `existingSize` non-null continues a file. */
  private beginFile(existingSize: number | null): void {
    const path = join(this.opts.dir, fileName(this.opts.stem, this.day, this.sequence));
    const fresh = existingSize === null || existingSize === 0;
    // The bytes buffered so far belong to the previous file.
    if (this.offset > 0) this.seal(Buffer.allocUnsafe(CHUNK_BYTES));
    this.segments.push({ path, create: existingSize === null, buffers: [] });
    this.fileBytes = fresh ? 0 : (existingSize ?? 0);
    this.fileHasRows = !fresh;
    if (fresh) this.fileBytes += this.put(this.header);
    if (!this.files.includes(path)) this.files.push(path);
  }

  private findLatest(): { sequence: number; size: number } | null {
    mkdirSync(this.opts.dir, { recursive: true });
    const pattern = new RegExp(`^${this.opts.stem}-${this.day}-(\\d{4})\\.csv$`);
    let best = -1;
    for (const name of readdirSync(this.opts.dir)) {
      const match = pattern.exec(name);
      if (match) best = Math.max(best, Number(match[1]));
    }
    if (best < 0) return null;
    const info = statSync(join(this.opts.dir, fileName(this.opts.stem, this.day, best)));
    return { sequence: best, size: info.size };
  }
}
