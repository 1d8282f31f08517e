import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { LocalCounts } from './bucket-counts.ts';
import { COPY_BINARY_HEADER, COPY_BINARY_TRAILER, CopyBinaryWriter } from './copy-binary.ts';
import type { TemplateRows } from './dims.ts';
import type { PreparedChunk } from './prepare.ts';
import { RECORD_COLUMNS } from './record-row.ts';
import { sliceFields } from './slices.ts';

/** Everything one transaction writes for one file: rows, rollups, rejects and the checkpoint. */
export interface Batch {
  fileId: number;
  /** The checkpoint this batch starts from; the commit fails if another writer moved it. */
  fromOffset: number;
  toOffset: number;
  size: number;
  chunk: PreparedChunk;
  /** Set while the file's fingerprint still grows (first bytes of the file). */
  fingerprint?: { len: number; hash: string };
  /**
   * The bytes just before toOffset (up to TAIL_BYTES) as they were read, and their hash: stored
   * with the checkpoint, so a file rewritten in place is not read on from it (file-state.ts).
   */
  tail: { bytes: Buffer; hash: string };
  /** The minute buckets its rollup rows hold (for the worker's compaction). */
  minutes?: number[];
}

/**
 * A batch with its rollup rows resolved to acct_dim / insight_dim ids, ready to send: each rollup
 * as one COPY binary stream (ROLLUP_COLUMNS / SLICE_COLUMNS, see ROLLUP_TYPES / SLICE_TYPES).
 */
export interface EncodedBatch {
  batch: Batch;
  rollupMinute: Buffer;
  rollupHour: Buffer;
  insightMinute: Buffer;
  insightHour: Buffer;
  sliceMinute: Buffer;
  sliceHour: Buffer;
  sliceDay: Buffer;
  sliceMonth: Buffer;
  /** Templates the batch uses that the worker does not know to be stored yet. */
  templates: TemplateRows;
}

export class CheckpointMovedError extends Error {
  constructor(fileId: number) {
    super(`checkpoint of file ${fileId} was moved by another writer; reloading it`);
  }
}

const COPY_SQL = `COPY acct_record (${RECORD_COLUMNS.join(', ')}) FROM STDIN (FORMAT binary)`;
const ROLLUP_COLUMNS = '(bucket, dim_id, file_id, batch_offset, n)';
const SLICE_COLUMNS = '(bucket, kind, key, type, file_id, batch_offset, n)';
/**
 * A reject's text or reason as PostgreSQL text can hold it: NUL, which it cannot, shows as ␀
 * (U+2400). A reason quotes the damaged value, so it can hold one too; PostgreSQL refused the
 * whole batch, and the worker stopped there.
 */
export function storableText(s: string): string {
  return s.includes('\0') ? s.replaceAll('\0', '\u2400') : s;
}
const EMPTY_STREAM_BYTES = COPY_BINARY_HEADER.length + COPY_BINARY_TRAILER.length;
/** The column types of the rollup streams, in ROLLUP_COLUMNS / SLICE_COLUMNS order. */
export const ROLLUP_TYPES = ['timestamptz', 'int4', 'int4', 'int8', 'int8'] as const;
export const SLICE_TYPES = ['timestamptz', 'int4', 'text', 'text', 'int4', 'int8', 'int8'] as const;

/** Rollup counts of a batch summed per (bucket, key), in that order (see sumParts). */
interface SummedCounts {
  bucket: Float64Array;
  key: Float64Array;
  n: Float64Array;
}

/**
 * Rollup rows (one per bucket × key, keyed by this batch) as a COPY binary stream; `writeKey`
 * writes the columns between the bucket and the batch key (a dictionary id, or a slice's columns).
 */
function rollupRows(
  c: SummedCounts,
  batch: Batch,
  fields: number,
  writeKey: (w: CopyBinaryWriter, key: number) => void,
): Buffer {
  const w = new CopyBinaryWriter(64 + c.n.length * (fields * 4 + 48));
  for (let i = 0; i < c.n.length; i++) {
    w.row(fields).timestamptz(c.bucket[i]);
    writeKey(w, c.key[i]);
    w.int4(batch.fileId).int8(batch.fromOffset).int8(c.n[i]);
  }
  return w.finish();
}

/** One prepared chunk of a batch with its dictionary ids (see encodeBatch). */
export interface BatchPart {
  chunk: PreparedChunk;
  /** acct_dim id of each dimension number of the chunk's dictionary. */
  dimIds: ArrayLike<number>;
  /** insight_dim id of each insight number of the chunk's dictionary. */
  insightIds: ArrayLike<number>;
  /** Identity (SliceChunk.id) of each slice number of the chunk's dictionary. */
  sliceIds: ArrayLike<string>;
}

/** Keys (int4 ids, slice numbers) are below 2^31, so (bucket rank, key) packs into one double. */
const KEY_SPAN = 2 ** 31;
const EMPTY = -1;

/** Index of `key` in the ascending `sorted` (where it is). */
function indexOf(sorted: Float64Array, key: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Sums per packed (bucket rank, key): an open-addressing hash table in two typed arrays (no
 * object per entry, nothing for the garbage collector to trace).
 */
class PackedSums {
  private readonly keys: Float64Array;
  private readonly sums: Float64Array;
  private readonly shift: number;
  /** The packed keys in the order first added (a scan of the sparse table cost more than the sort). */
  private readonly added: Float64Array;
  private size = 0;

  constructor(entries: number) {
    let bits = 4;
    while (1 << bits < entries * 2) bits++;
    this.keys = new Float64Array(1 << bits).fill(EMPTY);
    this.sums = new Float64Array(1 << bits);
    this.shift = 32 - bits;
    this.added = new Float64Array(entries);
  }

  /** The slot of (rank, key), or the empty slot where it goes. */
  private slot(rank: number, key: number): number {
    const packed = rank * KEY_SPAN + key;
    const mask = this.keys.length - 1;
    // Fibonacci hashing of the two integers mixed: ids are dense, so the high bits spread them.
    let h = Math.imul(Math.imul(rank, 0x27d4eb2d) ^ key, 0x9e3779b1) >>> this.shift;
    while (this.keys[h] !== packed && this.keys[h] !== EMPTY) h = (h + 1) & mask;
    return h;
  }

  add(rank: number, key: number, n: number): void {
    const h = this.slot(rank, key);
    if (this.keys[h] === EMPTY) {
      this.keys[h] = rank * KEY_SPAN + key;
      this.added[this.size++] = this.keys[h];
    }
    this.sums[h] += n;
  }

  sum(rank: number, key: number): number {
    return this.sums[this.slot(rank, key)];
  }

  /** The packed keys held, ascending: bucket rank, then key. */
  sortedKeys(): Float64Array {
    return this.added.subarray(0, this.size).sort();
  }
}

/**
 * The rollup rows of several chunks summed per (bucket, key): `keyOf(part, n)` maps a chunk's
 * dictionary number to what the row holds between its bucket and batch key (a database id, or a
 * slice's number), so counts of the same key in different chunks become one row.
 *
 * Rows come in key order (bucket, then key): each row lands next to the one before it in the
 * table's primary key, and a backfill's rows beyond the last bucket take the B-tree's
 * rightmost-leaf fast path instead of a descent from the root. Everything is summed in typed
 * arrays: Maps per bucket made garbage that lived until the batch was encoded, and on the main
 * thread such garbage is promoted and costs full collections. A chunk's counts come grouped by
 * bucket (flattenCounts), so a bucket's rank is looked up once per run of it.
 */
function sumParts(
  parts: readonly BatchPart[],
  countsOf: (chunk: PreparedChunk) => LocalCounts,
  keyOf: (part: number, local: number) => number,
): SummedCounts {
  const counts = parts.map((p) => countsOf(p.chunk));
  let total = 0;
  const distinct = new Set<number>();
  for (const c of counts) {
    total += c.n.length;
    for (let i = 0; i < c.n.length; i++)
      if (i === 0 || c.bucket[i] !== c.bucket[i - 1]) distinct.add(c.bucket[i]);
  }
  const buckets = Float64Array.from(distinct).sort();
  const sums = new PackedSums(total);
  for (let p = 0; p < counts.length; p++) {
    const c = counts[p];
    let rank = 0;
    for (let i = 0; i < c.n.length; i++) {
      if (i === 0 || c.bucket[i] !== c.bucket[i - 1]) rank = indexOf(buckets, c.bucket[i]);
      const key = keyOf(p, c.dim[i]);
      if (!(Number.isInteger(key) && key >= 0 && key < KEY_SPAN))
        throw new Error(`rollup key ${key} out of range`);
      sums.add(rank, key, c.n[i]);
    }
  }
  const unique = sums.sortedKeys();
  const out = {
    bucket: new Float64Array(unique.length),
    key: new Float64Array(unique.length),
    n: new Float64Array(unique.length),
  };
  for (let k = 0; k < unique.length; k++) {
    const r = Math.floor(unique[k] / KEY_SPAN);
    const key = unique[k] - r * KEY_SPAN;
    out.bucket[k] = buckets[r];
    out.key[k] = key;
    out.n[k] = sums.sum(r, key);
  }
  return out;
}

/**
 * The rollup COPY rows of a batch: its parts' counts with their dictionary numbers mapped to
 * acct_dim / insight_dim ids and slice identities. A batch of several chunks (one transaction) writes one row per (bucket, key)
 * for all of them: a backfill's hour, day and month keys recur in every chunk of the hour, so
 * fewer, larger transactions write far fewer rollup rows for the same counts.
 */
export function encodeBatch(
  batch: Batch,
  parts: readonly BatchPart[],
  templates: TemplateRows = { key: [], template: [], sample: [], firstSeen: [] },
): EncodedBatch {
  const dims = (
    countsOf: (chunk: PreparedChunk) => LocalCounts,
    idsOf: (part: BatchPart) => ArrayLike<number>,
  ) =>
    rollupRows(
      sumParts(parts, countsOf, (p, local) => idsOf(parts[p])[local]),
      batch,
      ROLLUP_TYPES.length,
      (w, id) => w.int4(id),
    );
  // The batch's slices numbered in the order first met; each one's three columns are encoded
  // once per batch and copied into every row of the slice.
  const sliceNumber = new Map<string, number>();
  const sliceOf: string[] = [];
  const sliceBytes: Uint8Array[] = [];
  const numberSlice = (p: number, local: number) => {
    const id = parts[p].sliceIds[local];
    let n = sliceNumber.get(id);
    if (n === undefined) {
      n = sliceOf.length;
      sliceNumber.set(id, n);
      sliceOf.push(id);
    }
    return n;
  };
  const writeSlice = (w: CopyBinaryWriter, n: number) => {
    const bytes = sliceBytes[n];
    if (bytes) {
      w.raw(bytes);
      return;
    }
    const from = w.length;
    const { kind, key, type } = sliceFields(sliceOf[n]);
    w.int4(kind).text(key).text(type);
    sliceBytes[n] = Uint8Array.from(w.since(from));
  };
  const slices = (countsOf: (chunk: PreparedChunk) => LocalCounts) =>
    rollupRows(sumParts(parts, countsOf, numberSlice), batch, SLICE_TYPES.length, writeSlice);
  return {
    batch,
    rollupMinute: dims(
      (c) => c.minute,
      (p) => p.dimIds,
    ),
    rollupHour: dims(
      (c) => c.hour,
      (p) => p.dimIds,
    ),
    insightMinute: dims(
      (c) => c.insights.minute,
      (p) => p.insightIds,
    ),
    insightHour: dims(
      (c) => c.insights.hour,
      (p) => p.insightIds,
    ),
    sliceMinute: slices((c) => c.slices.minute),
    sliceHour: slices((c) => c.slices.hour),
    sliceDay: slices((c) => c.slices.day),
    sliceMonth: slices((c) => c.slices.month),
    templates,
  };
}

/**
 * Streams `chunks` into a COPY. PostgreSQL may refuse a row (a duplicate key, a value it cannot
 * store) while later chunks are still being written: the error then ends the wait for `drain`
 * and is thrown from here. It used to reject a promise nobody awaited yet, which ended the worker
 * (an unhandled rejection) instead of reaching writeBatch's handling (split the batch, or reload
 * the checkpoint another writer moved).
 */
export async function copyIn(client: pg.ClientBase, sql: string, chunks: Uint8Array[]): Promise<void> {
  const stream = client.query(copyFrom(sql));
  const done = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
  });
  done.catch(() => {}); // awaited below, or raced with each wait for drain
  for (const c of chunks) {
    if (!stream.write(c)) await Promise.race([new Promise((r) => stream.once('drain', r)), done]);
  }
  stream.end();
  await done;
}

/**
 * Writes one batch in ONE transaction: raw rows, rollups (main and insight), new diagnostic
 * templates, the IP → VirtualMTA map, rejects and the file's checkpoint. Committing the offset
 * with the rows is what makes ingest exactly-once: after a crash either all of it is there (and
 * the offset says so) or none of it is.
 *
 * `after`: the write of the file's previous batch, still in flight on another connection. This
 * batch's rows and rollups are copied meanwhile (they cannot collide: their keys hold the file
 * and batch offsets), then it waits for that write before taking any lock the other could need
 * (templates, the IP map, the file's row) and checking the checkpoint. A previous write that
 * failed fails this one with the same error.
 */
export async function writeBatch(
  client: pg.PoolClient,
  enc: EncodedBatch,
  after: Promise<void> = Promise.resolve(),
): Promise<void> {
  const { batch } = enc;
  const { chunk } = batch;
  const { ips } = chunk;
  const lastRecordAt = chunk.recordCount > 0 ? new Date(chunk.lastMs) : null;
  const firstRecordAt = chunk.recordCount > 0 ? new Date(chunk.firstMs) : null;
  await client.query('BEGIN');
  try {
    if (chunk.recordCount > 0) {
      await copyIn(client, COPY_SQL, [COPY_BINARY_HEADER, ...chunk.recordChunks, COPY_BINARY_TRAILER]);
      const rollups: [string, string, Buffer][] = [
        ['rollup_minute', ROLLUP_COLUMNS, enc.rollupMinute],
        ['rollup_hour', ROLLUP_COLUMNS, enc.rollupHour],
        ['rollup_slice_minute', SLICE_COLUMNS, enc.sliceMinute],
        ['rollup_slice_hour', SLICE_COLUMNS, enc.sliceHour],
        ['rollup_slice_day', SLICE_COLUMNS, enc.sliceDay],
        ['rollup_slice_month', SLICE_COLUMNS, enc.sliceMonth],
        ['rollup_insight_minute', ROLLUP_COLUMNS, enc.insightMinute],
        ['rollup_insight_hour', ROLLUP_COLUMNS, enc.insightHour],
      ];
      for (const [table, columns, rows] of rollups) {
        // An empty stream is a header and a trailer: no statement for it.
        if (rows.length > EMPTY_STREAM_BYTES)
          await copyIn(client, `COPY ${table} ${columns} FROM STDIN (FORMAT binary)`, [rows]);
      }
    }
    await after;
    if (enc.templates.key.length > 0) {
      const t = enc.templates;
      await client.query(
        `INSERT INTO diag_template (key, template, sample, first_seen_at)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[])
         ON CONFLICT (key) DO NOTHING`,
        [t.key, t.template, t.sample, t.firstSeen],
      );
    }
    if (ips.n.length > 0) {
      await client.query(
        `INSERT INTO vmta_ip AS v (source_ip, vmta, vmta_pool, n, first_seen, last_seen)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::timestamptz[], $6::timestamptz[])
         ON CONFLICT (source_ip, vmta, vmta_pool) DO UPDATE SET n = v.n + excluded.n,
           first_seen = LEAST(v.first_seen, excluded.first_seen), last_seen = GREATEST(v.last_seen, excluded.last_seen)`,
        [ips.sourceIp, ips.vmta, ips.vmtaPool, ips.n, ips.firstSeen, ips.lastSeen],
      );
    }
    if (chunk.rejects.length > 0) {
      await client.query(
        `INSERT INTO acct_reject (file_id, byte_offset, text, reason)
         SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::text[])
         ON CONFLICT (file_id, byte_offset) DO NOTHING`,
        [
          batch.fileId,
          chunk.rejects.map((r) => r.offset),
          chunk.rejects.map((r) => storableText(r.text)),
          chunk.rejects.map((r) => storableText(r.reason)),
        ],
      );
    }
    // The checkpoint last: it must still be where this batch starts. Another worker writing the
    // same file either committed first (its rows collide with these: unique violation, below) or
    // waits on this row lock and then finds the offset moved.
    const moved = await client.query(
      `UPDATE acct_file SET "offset" = $2, header = $3, size = GREATEST(size, $4), records = records + $5,
              rejects = rejects + $6, last_record_at = GREATEST(last_record_at, $7),
              first_record_at = LEAST(first_record_at, $13), ingested_at = now(),
              fp_len = COALESCE($9, fp_len), fp = COALESCE($10, fp), tail_len = $11, tail_fp = $12,
              status = 'active'
        WHERE id = $1 AND "offset" = $8`,
      [
        batch.fileId,
        batch.toOffset,
        chunk.header,
        batch.size,
        chunk.recordCount,
        chunk.rejects.length,
        lastRecordAt,
        batch.fromOffset,
        batch.fingerprint?.len ?? null,
        batch.fingerprint?.hash ?? null,
        batch.tail.bytes.length,
        batch.tail.hash,
        firstRecordAt,
      ],
    );
    if (moved.rowCount !== 1) throw new CheckpointMovedError(batch.fileId);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    // Rows of this file's byte range already committed by another writer.
    if ((error as { code?: string }).code === '23505') throw new CheckpointMovedError(batch.fileId);
    throw error;
  }
}
