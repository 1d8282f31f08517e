import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { lastRecordEnd } from './boundary.ts';
import { decodeCopyBinary } from './copy-binary.ts';
import { generateFiles } from './demo/generator.ts';
import { mergeChunks } from './merge.ts';
import { type PreparedChunk, prepareChunk } from './prepare.ts';
import {
  type Batch,
  type BatchPart,
  type EncodedBatch,
  encodeBatch,
  ROLLUP_TYPES,
  SLICE_TYPES,
} from './writer.ts';

// A batch of several chunks must write exactly what one chunk of the same bytes writes: the same
// records, rejects and IP tallies, and rollup rows that sum to the same counts per key (one row
// per (bucket, key) either way).

let buf: Buffer;
let whole: PreparedChunk;
let parts: PreparedChunk[];

/** Cuts the file at record boundaries into `n` roughly equal chunks, each prepared on its own. */
function prepareInParts(n: number): PreparedChunk[] {
  const out: PreparedChunk[] = [];
  let from = 0;
  let header: string[] | null = null;
  for (let i = 0; i < n; i++) {
    const target = i === n - 1 ? buf.length : Math.round((buf.length * (i + 1)) / n);
    const end = from + lastRecordEnd(buf.subarray(from, target));
    const chunk = prepareChunk(buf.subarray(from, end), { fileId: 7, source: 'mta1', offset: from, header });
    expect(chunk.consumed).toBe(end - from);
    out.push(chunk);
    header = chunk.header;
    from = end;
  }
  return out;
}

// The database's dictionaries, shared by both ways of writing.
const dimIds = new Map<string, number>();
const insightIds = new Map<string, number>();
const idOf = (map: Map<string, number>, key: string) => {
  let id = map.get(key);
  if (id === undefined) {
    id = map.size + 1;
    map.set(key, id);
  }
  return id;
};
const part = (chunk: PreparedChunk): BatchPart => ({
  chunk,
  dimIds: chunk.dims.map((k) => idOf(dimIds, k)),
  insightIds: chunk.insights.dims.map((k) => idOf(insightIds, k)),
});
const batchOf = (chunk: PreparedChunk): Batch => ({
  fileId: 7,
  fromOffset: 0,
  toOffset: chunk.consumed,
  size: buf.length,
  chunk,
});
const ROLLUPS = [
  'rollupMinute',
  'rollupHour',
  'insightMinute',
  'insightHour',
  'sliceMinute',
  'sliceHour',
  'sliceDay',
  'sliceMonth',
] as const;
const rows = (enc: EncodedBatch, table: (typeof ROLLUPS)[number]) =>
  decodeCopyBinary(enc[table], table.startsWith('slice') ? SLICE_TYPES : ROLLUP_TYPES)
    .map((r) => r.join('\t'))
    .sort();

beforeAll(async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'acct-merge-'));
  await generateFiles({ out: dir, records: 4000, days: 2, end: new Date('2026-03-02T00:00:00Z'), seed: 3 });
  const files = readdirSync(dir).filter((f) => f.endsWith('.csv'));
  buf = readFileSync(path.join(dir, files.sort()[0]));
  whole = prepareChunk(buf, { fileId: 7, source: 'mta1', offset: 0, header: null, final: true });
  parts = prepareInParts(4);
}, 60_000);

describe('a batch of several chunks', () => {
  it('holds the records, offsets, rejects and IP tallies of one chunk of the same bytes', () => {
    const merged = mergeChunks(parts);
    expect(whole.recordCount).toBeGreaterThan(1000);
    expect(merged.consumed).toBe(whole.consumed);
    expect(merged.recordCount).toBe(whole.recordCount);
    expect(merged.recordOffsets).toEqual(whole.recordOffsets);
    expect(Buffer.concat(merged.recordChunks).equals(Buffer.concat(whole.recordChunks))).toBe(true);
    expect(merged.rejects).toEqual(whole.rejects);
    expect(merged.ips).toEqual(whole.ips);
    expect(merged.ips.n.length).toBeGreaterThan(1);
    expect(merged.insights.templates).toEqual(whole.insights.templates);
    expect([...merged.days].sort()).toEqual([...whole.days].sort());
    expect([merged.firstMs, merged.lastMs, merged.header]).toEqual([
      whole.firstMs,
      whole.lastMs,
      whole.header,
    ]);
    expect(merged.startHeader).toBeNull();
  });

  it('writes one rollup row per (bucket, key) with the counts of the whole', () => {
    const one = encodeBatch(batchOf(whole), [part(whole)]);
    const many = encodeBatch(batchOf(mergeChunks(parts)), parts.map(part));
    for (const table of ROLLUPS) {
      const expected = rows(one, table);
      expect(expected.length, table).toBeGreaterThan(0);
      expect(rows(many, table), table).toEqual(expected);
    }
    // The chunks alone repeat hour keys that the batch writes once.
    const separate = parts.flatMap((c) => rows(encodeBatch(batchOf(c), [part(c)]), 'rollupHour'));
    expect(separate.length).toBeGreaterThan(rows(many, 'rollupHour').length);
  });

  it('is one chunk unchanged', () => {
    expect(mergeChunks([whole])).toBe(whole);
  });
});
