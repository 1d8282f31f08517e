import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type PendingRow, RowHeap } from './row-heap.ts';
import type { FileKind } from './write-files.ts';

/**
 * Measured on a fake clock at 100 messages/s over 14 hours (about 140,000 rows pending): one-minute
 * buckets kept 2,500–6,000 rows in memory, 15-second ones 800–1,800 at the same CPU.
 */
const BUCKET_MS = 15_000;

export interface PendingRowsOptions {
  /** Width of one spill file's time range. */
  bucketMs?: number;
  /** Rows due less than this after the clock stay in memory; later ones go to disk. */
  horizonMs?: number;
  /** Spilled text held in memory before it is appended to the bucket files (UTF-16 units). */
  bufferChars?: number;
  /** Where the bucket files go (a fresh directory under it); default the OS temp directory. */
  dir?: string;
}

interface Bucket {
  /** Encoded rows not yet appended to the file. */
  parts: string[];
  /** True once the bucket has a file on disk. */
  onDisk: boolean;
  rows: number;
}

/**
 * The rows a simulator has planned, in (time, insertion order). A message's later rows are
 * planned when it is injected: retries of a deferral for up to 12 hours, the expiry bounce,
 * remote bounces up to 2 days and complaints up to 3 days on. Kept in memory as rendered lines,
 * a live run at 3,000 messages/s would hold about 4 million of them (1.4 KB of heap each) and
 * died at 2–3.5 GB. So only rows due within the horizon sit in the heap; later ones are appended
 * to one temp file per time bucket and read back when the clock comes within the horizon of it.
 * The order is the heap's either way, so a seed's output does not change.
 *
 * Invariant: every row of a bucket before `next` is in the heap, every later one is spilled, so
 * the heap's first row is the first of all whenever the heap is not empty.
 */
export class PendingRows {
  private readonly heap = new RowHeap();
  private readonly buckets = new Map<number, Bucket>();
  private readonly bucketMs: number;
  private readonly horizonMs: number;
  private readonly bufferChars: number;
  private readonly parent: string;
  private dir: string | null = null;
  /** The first bucket not loaded yet. */
  private next = Number.NEGATIVE_INFINITY;
  private spilled = 0;
  private bufferedChars = 0;

  constructor(opts: PendingRowsOptions = {}) {
    this.bucketMs = opts.bucketMs ?? BUCKET_MS;
    this.horizonMs = opts.horizonMs ?? BUCKET_MS;
    this.bufferChars = opts.bufferChars ?? 4_000_000;
    this.parent = opts.dir ?? tmpdir();
  }

  /** All rows still to come, in memory or spilled. */
  get size(): number {
    return this.heap.size + this.spilled;
  }

  /** Rows held in memory as objects (the spill buffer aside). */
  get inMemory(): number {
    return this.heap.size;
  }

  push(row: PendingRow): void {
    const index = Math.floor(row.time / this.bucketMs);
    if (index < this.next) this.heap.push(row);
    else this.spill(index, row);
  }

  /** Time of the first row to come, reading the next bucket back if memory holds none. */
  peekTime(): number {
    if (this.heap.size === 0) this.loadFirstBucket();
    return this.heap.peekTime();
  }

  pop(): PendingRow | undefined {
    if (this.heap.size === 0) this.loadFirstBucket();
    const row = this.heap.pop();
    if (row) this.advanceTo(row.time);
    return row;
  }

  /** The simulation's clock reached `now`: rows due within the horizon come back into memory. */
  advanceTo(now: number): void {
    const target = Math.floor((now + this.horizonMs) / this.bucketMs) + 1;
    if (target <= this.next) return;
    if (target - this.next > this.buckets.size) {
      // A jump (the first call, or a quiet stretch): visit the buckets there are, not every index.
      for (const index of [...this.buckets.keys()]) if (index < target) this.load(index);
    } else {
      for (let index = this.next; index < target; index++) this.load(index);
    }
    this.next = target;
  }

  /** Removes the bucket files; the rows still pending are lost. */
  dispose(): void {
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = null;
    this.buckets.clear();
    this.spilled = 0;
    this.bufferedChars = 0;
  }

  private spill(index: number, row: PendingRow): void {
    let bucket = this.buckets.get(index);
    if (!bucket) {
      bucket = { parts: [], onDisk: false, rows: 0 };
      this.buckets.set(index, bucket);
    }
    const text = encode(row);
    bucket.parts.push(text);
    bucket.rows++;
    this.spilled++;
    this.bufferedChars += text.length;
    if (this.bufferedChars >= this.bufferChars) this.flush();
  }

  /** Appends every bucket's buffered rows to its file. */
  private flush(): void {
    if (!this.dir) {
      removeOrphans(this.parent);
      this.dir = mkdtempSync(join(this.parent, `${PREFIX}${process.pid}-`));
    }
    for (const [index, bucket] of this.buckets) {
      if (bucket.parts.length === 0) continue;
      appendFileSync(this.path(index), bucket.parts.join(''));
      bucket.parts = [];
      bucket.onDisk = true;
    }
    this.bufferedChars = 0;
  }

  private loadFirstBucket(): void {
    if (this.buckets.size === 0) return;
    let first = Number.POSITIVE_INFINITY;
    for (const index of this.buckets.keys()) first = Math.min(first, index);
    this.load(first);
    this.next = Math.max(this.next, first + 1);
  }

  private load(index: number): void {
    const bucket = this.buckets.get(index);
    if (!bucket) return;
    this.buckets.delete(index);
    let text = '';
    if (bucket.onDisk) {
      const path = this.path(index);
      text = readFileSync(path, 'utf8');
      unlinkSync(path);
    }
    for (const part of bucket.parts) this.bufferedChars -= part.length;
    text += bucket.parts.join('');
    const count = decode(text, (row) => this.heap.push(row));
    if (count !== bucket.rows)
      throw new Error(`pending bucket ${index}: read ${count} rows of ${bucket.rows}`);
    this.spilled -= count;
  }

  private path(index: number): string {
    return join(this.dir ?? '', `${index}.rows`);
  }
}

/** Spill directories are named `acct-pending-<pid>-<random>`. */
const PREFIX = 'acct-pending-';

/**
 * Removes the spill directories of processes that are gone: a generator killed hard (or one whose
 * tick threw) never disposed of them, and at 3,000 messages/s they hold gigabytes.
 */
function removeOrphans(parent: string): void {
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(/^acct-pending-(\d+)-/.exec(name)?.[1]);
    if (!pid || pid === process.pid || isAlive(pid)) continue;
    rmSync(join(parent, name), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, someone else's.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * `time,seq,kind,type,length\nline`: the line is counted in UTF-16 units, so a multi-line
 * diagnostic or a non-ASCII mailbox needs no escaping. String(number) round-trips exactly.
 */
function encode(row: PendingRow): string {
  return `${row.time},${row.seq},${row.kind},${row.type},${row.line.length}\n${row.line}`;
}

function decode(text: string, emit: (row: PendingRow) => void): number {
  let count = 0;
  let at = 0;
  while (at < text.length) {
    const eol = text.indexOf('\n', at);
    const [time, seq, kind, type, length] = text.slice(at, eol).split(',');
    const end = eol + 1 + Number(length);
    emit({
      time: Number(time),
      seq: Number(seq),
      kind: kind as FileKind,
      type,
      line: text.slice(eol + 1, end),
    });
    at = end;
    count++;
  }
  return count;
}
