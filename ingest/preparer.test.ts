import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastRecordEnd } from './boundary.ts';
import { decodeCopyBinary } from './copy-binary.ts';
import { generateFiles } from './demo/generator.ts';
import { DictionaryMirror, type Resolver } from './dictionary.ts';
import { mergeChunks } from './merge.ts';
import { type PreparedChunk, prepareChunk } from './prepare.ts';
import { ChunkPreparer } from './preparer.ts';
import { type Batch, type BatchPart, encodeBatch, ROLLUP_TYPES, SLICE_TYPES } from './writer.ts';

// A parsing thread numbers tuples across the chunks it prepares and starts a new dictionary when
// one is full; the main thread follows through each chunk's mirror. Whatever the numbering, the
// rollup rows must be those of the file prepared as one chunk.

let buf: Buffer;
const preparer = new ChunkPreparer(1, { dictionaryMaxEntries: 1500 });

beforeAll(async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'acct-preparer-'));
  await generateFiles({ out: dir, records: 3000, days: 1, end: new Date('2026-03-02T00:00:00Z'), seed: 5 });
  const files = readdirSync(dir).filter((f) => f.endsWith('.csv'));
  buf = readFileSync(path.join(dir, files.sort()[0]));
}, 60_000);

afterAll(() => preparer.close());

const resolver = (map: Map<string, number>): Resolver => ({
  resolveJoined: async (_pool, keys) =>
    Int32Array.from(keys, (k) => {
      if (!map.has(k)) map.set(k, map.size + 1);
      return map.get(k) ?? 0;
    }),
});

async function encode(chunks: PreparedChunk[], dims: Map<string, number>, insights: Map<string, number>) {
  const parts: BatchPart[] = [];
  for (const chunk of chunks) {
    const mirror = chunk.mirror ?? DictionaryMirror.of(chunk);
    await mirror.resolve(null as never, resolver(dims), resolver(insights));
    parts.push({ chunk, dimIds: mirror.dimIds, insightIds: mirror.insightIds, sliceIds: mirror.sliceIds });
  }
  const merged = mergeChunks(chunks);
  const batch: Batch = {
    fileId: 1,
    fromOffset: 0,
    toOffset: merged.consumed,
    size: buf.length,
    chunk: merged,
    tail: { bytes: Buffer.alloc(0), hash: '' },
  };
  return encodeBatch(batch, parts);
}

describe('ChunkPreparer', () => {
  it('numbers tuples across chunks and dictionaries; the rows are those of one chunk', async () => {
    const chunks: PreparedChunk[] = [];
    let from = 0;
    let header: string[] | null = null;
    const n = 12;
    for (let i = 0; i < n; i++) {
      const target = i === n - 1 ? buf.length : Math.round((buf.length * (i + 1)) / n);
      const end = from + lastRecordEnd(buf.subarray(from, target));
      const bytes = Uint8Array.from(buf.subarray(from, end));
      const chunk = await preparer.prepare(i, bytes, { fileId: 1, source: 'mta1', offset: from, header });
      expect(chunk.consumed).toBe(end - from);
      chunks.push(chunk);
      header = chunk.header;
      from = end;
    }
    const dictionaries = new Set(chunks.map((c) => c.dictionary));
    expect(dictionaries.size).toBeGreaterThan(2); // the small limit made the thread start new ones
    expect(chunks.every((c) => c.mirror?.id === c.dictionary)).toBe(true);
    // Within a dictionary, later chunks send only what is new to it.
    const second = chunks.findIndex((c, i) => i > 0 && c.dictionary === chunks[i - 1].dictionary);
    expect(chunks[second].dimsBase).toBeGreaterThan(0);

    const whole = prepareChunk(buf, { fileId: 1, source: 'mta1', offset: 0, header: null, final: true });
    const dims = new Map<string, number>();
    const insights = new Map<string, number>();
    const one = await encode([whole], dims, insights);
    const many = await encode(chunks, dims, insights);
    const rows = (b: Buffer, types: typeof ROLLUP_TYPES | typeof SLICE_TYPES) =>
      decodeCopyBinary(b, types)
        .map((r) => r.join('\t'))
        .sort();
    for (const key of ['rollupMinute', 'rollupHour', 'insightMinute', 'insightHour'] as const) {
      expect(rows(one[key], ROLLUP_TYPES).length, key).toBeGreaterThan(0);
      expect(rows(many[key], ROLLUP_TYPES), key).toEqual(rows(one[key], ROLLUP_TYPES));
    }
    for (const key of ['sliceMinute', 'sliceHour', 'sliceDay', 'sliceMonth'] as const)
      expect(rows(many[key], SLICE_TYPES), key).toEqual(rows(one[key], SLICE_TYPES));
  }, 60_000);
});
