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
/**
 * Rows due later than this after the clock are spilled to buckets as wide as this, and moved to
 * the 15-second ones as the clock comes this close to them. One 15-second file per bucket for
 * rows up to 3 days ahead came to 17,280 files, and each spill appended to every file it had rows
 * for: after a minute at 1,500 messages/s, 1,000-1,400 files per spill, 0.2-0.8 s with the event
 * loop blocked, growing as the run went on. Now a spill touches at most ~120 + 290 files.
 */
const FAR_BUCKET_MS = 15 * 60_000;

export interface PendingRowsOptions {
  /** Width of one spill file's time range. */
  bucketMs?: number;
  /** Rows due less than this after the clock stay in memory; later ones go to disk. */
  horizonMs?: number;
  /**
   * Width of the far buckets: rows due later than this after the clock go into buckets this
   * wide, and into `bucketMs` ones when the clock comes within it (a multiple of bucketMs).
   */
  farBucketMs?: number;
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

/** Spilled rows of one width of bucket, by bucket index; `prefix` names their files. */
interface Level {
  buckets: Map<number, Bucket>;
  prefix: 'n' | 'f';
}

/**
 * The rows a simulator has planned, in (time, insertion order). A message's later rows are
 * planned when it is injected: retries of a deferral for up to 12 hours, the expiry bounce,
 * remote bounces up to 2 days and complaints up to 3 days on. Kept in memory as rendered lines,
 * a live run at 3,000 messages/s would hold about 4 million of them (1.4 KB of heap each) and
 * died at 2–3.5 GB. So only rows due within the horizon sit in the heap; later ones are appended
 * to one temp file per time bucket (15-minute ones for rows further than FAR_BUCKET_MS ahead,
 * 15-second ones nearer) and read back when the clock comes within the horizon of it. The order
 * is the heap's either way, so a seed's output does not change.
 *
 * Invariant: every row of a near bucket before `next` is in the heap, every later one is spilled,
 * in a near bucket if its far bucket is before `farNext`, else in its far bucket; `farNext` is
 * never behind `next`. So the heap's first row is the first of all whenever the heap is not empty.
 */
export class PendingRows {
  private readonly heap = new RowHeap();
  private readonly near: Level = { buckets: new Map(), prefix: 'n' };
  private readonly far: Level = { buckets: new Map(), prefix: 'f' };
  private readonly bucketMs: number;
  private readonly horizonMs: number;
  private readonly farBucketMs: number;
  private readonly bufferChars: number;
  private readonly parent: string;
  private dir: string | null = null;
  /** The first near bucket not loaded yet. */
  private next = Number.NEGATIVE_INFINITY;
  /** The first far bucket not moved to near ones yet. */
  private farNext = Number.NEGATIVE_INFINITY;
  private spilled = 0;
  private bufferedChars = 0;

  constructor(opts: PendingRowsOptions = {}) {
    this.bucketMs = opts.bucketMs ?? BUCKET_MS;
    this.horizonMs = opts.horizonMs ?? BUCKET_MS;
    this.farBucketMs = opts.farBucketMs ?? FAR_BUCKET_MS;
    this.bufferChars = opts.bufferChars ?? 4_000_000;
    this.parent = opts.dir ?? tmpdir();
    // So a near bucket never straddles two far ones (the invariant's boundaries line up).
    if (this.farBucketMs % this.bucketMs !== 0) throw new Error('farBucketMs must be a multiple of bucketMs');
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
    const far = Math.floor(row.time / this.farBucketMs);
    if (index < this.next) this.heap.push(row);
    else if (far < this.farNext) this.spill(this.near, index, row);
    else this.spill(this.far, far, row);
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

  /**
   * The simulation's clock reached `now`: far buckets within FAR_BUCKET_MS of it move to near
   * ones, and rows due within the horizon come back into memory.
   */
  advanceTo(now: number): void {
    const target = Math.floor((now + this.horizonMs) / this.bucketMs) + 1;
    // At least FAR_BUCKET_MS ahead, and never behind the near buckets' boundary.
    const farTarget = Math.max(
      Math.floor(now / this.farBucketMs) + 2,
      Math.ceil((target * this.bucketMs) / this.farBucketMs),
    );
    if (farTarget > this.farNext) {
      const due = dueIndexes(this.far, this.farNext, farTarget);
      // Set first: the rows moved are pushed again, and must land in near buckets.
      this.farNext = farTarget;
      for (const index of due) this.take(this.far, index, (row) => this.push(row));
    }
    if (target <= this.next) return;
    for (const index of dueIndexes(this.near, this.next, target)) {
      this.take(this.near, index, (row) => this.heap.push(row));
    }
    this.next = target;
  }

  /** Removes the bucket files; the rows still pending are lost. */
  dispose(): void {
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = null;
    this.near.buckets.clear();
    this.far.buckets.clear();
    this.spilled = 0;
    this.bufferedChars = 0;
  }

  private spill(level: Level, index: number, row: PendingRow): void {
    let bucket = level.buckets.get(index);
    if (!bucket) {
      bucket = { parts: [], onDisk: false, rows: 0 };
      level.buckets.set(index, bucket);
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
    for (const level of [this.near, this.far]) {
      for (const [index, bucket] of level.buckets) {
        if (bucket.parts.length === 0) continue;
        appendFileSync(this.path(level, index), bucket.parts.join(''));
        bucket.parts = [];
        bucket.onDisk = true;
      }
    }
    this.bufferedChars = 0;
  }

  /** The heap is empty: loads the first near bucket, moving the first far one to near ones if none is left. */
  private loadFirstBucket(): void {
    if (this.near.buckets.size === 0) {
      if (this.far.buckets.size === 0) return;
      const first = Math.min(...this.far.buckets.keys());
      this.farNext = Math.max(this.farNext, first + 1);
      this.take(this.far, first, (row) => this.push(row));
      if (this.near.buckets.size === 0) return;
    }
    const first = Math.min(...this.near.buckets.keys());
    this.take(this.near, first, (row) => this.heap.push(row));
    this.next = Math.max(this.next, first + 1);
  }

  /** Removes a bucket (its file too) and hands each of its rows to `emit`. */
  private take(level: Level, index: number, emit: (row: PendingRow) => void): void {
    const bucket = level.buckets.get(index);
    if (!bucket) return;
    level.buckets.delete(index);
    let text = '';
    if (bucket.onDisk) {
      const path = this.path(level, index);
      text = readFileSync(path, 'utf8');
      unlinkSync(path);
    }
    for (const part of bucket.parts) this.bufferedChars -= part.length;
    text += bucket.parts.join('');
    this.spilled -= bucket.rows;
    const count = decode(text, emit);
    if (count !== bucket.rows)
      throw new Error(`pending bucket ${level.prefix}${index}: read ${count} rows of ${bucket.rows}`);
  }

  private path(level: Level, index: number): string {
    return join(this.dir ?? '', `${level.prefix}${index}.rows`);
  }
}

/**
 * The indexes of `level`'s buckets in [from, to): after a jump (the first call, a quiet stretch)
 * those there are, not every index.
 */
function dueIndexes(level: Level, from: number, to: number): number[] {
  if (to - from > level.buckets.size) return [...level.buckets.keys()].filter((i) => i < to);
  const due: number[] = [];
  for (let index = from; index < to; index++) if (level.buckets.has(index)) due.push(index);
  return due;
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
