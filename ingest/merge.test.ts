import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { lastRecordEnd } from './boundary.ts';
import { decodeCopyBinary } from './copy-binary.ts';
import { generateFiles } from './demo/generator.ts';
import { DictionaryMirror, type Resolver } from './dictionary.ts';
import { mergeChunks } from './merge.ts';
import { PrepareDictionary, type PreparedChunk, prepareChunk } from './prepare.ts';
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

/**
 * Cuts the file at record boundaries into `n` roughly equal chunks, each prepared on its own or,
 * as a parsing thread does, all with one dictionary.
 */
function prepareInParts(n: number, dictionary?: PrepareDictionary): PreparedChunk[] {
  const out: PreparedChunk[] = [];
  let from = 0;
  let header: string[] | null = null;
  for (let i = 0; i < n; i++) {
    const target = i === n - 1 ? buf.length : Math.round((buf.length * (i + 1)) / n);
    const end = from + lastRecordEnd(buf.subarray(from, target));
    const chunk = prepareChunk(
      buf.subarray(from, end),
      { fileId: 7, source: 'mta1', offset: from, header },
      dictionary,
    );
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
const resolver = (map: Map<string, number>): Resolver => ({
  resolveJoined: async (_pool, keys) => Int32Array.from(keys, (k) => idOf(map, k)),
});
const mirrors = new Map<string, DictionaryMirror>();
const resolved = new WeakMap<PreparedChunk, BatchPart>();
/** The chunk with its ids, as the worker resolves them (its dictionary's mirror, in order). */
const part = async (chunk: PreparedChunk): Promise<BatchPart> => {
  const known = resolved.get(chunk);
  if (known) return known;
  let mirror = mirrors.get(chunk.dictionary);
  if (!mirror) {
    mirror = new DictionaryMirror(chunk.dictionary);
    mirrors.set(chunk.dictionary, mirror);
  }
  mirror.add(chunk);
  await mirror.resolve(null as never, resolver(dimIds), resolver(insightIds));
  const out = { chunk, dimIds: mirror.dimIds, insightIds: mirror.insightIds, sliceIds: mirror.sliceIds };
  resolved.set(chunk, out);
  return out;
};
const partsOf = async (chunks: PreparedChunk[]) => {
  const out: BatchPart[] = [];
  for (const c of chunks) out.push(await part(c));
  return out;
};
const batchOf = (chunk: PreparedChunk): Batch => ({
  fileId: 7,
  fromOffset: 0,
  toOffset: chunk.consumed,
  size: buf.length,
  chunk,
  tail: { bytes: Buffer.alloc(0), hash: '' },
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

  it('writes one rollup row per (bucket, key) with the counts of the whole', async () => {
    const one = encodeBatch(batchOf(whole), await partsOf([whole]));
    const many = encodeBatch(batchOf(mergeChunks(parts)), await partsOf(parts));
    for (const table of ROLLUPS) {
      const expected = rows(one, table);
      expect(expected.length, table).toBeGreaterThan(0);
      expect(rows(many, table), table).toEqual(expected);
    }
    // The star and insight rows come in primary-key order (bucket, then id): B-tree inserts land
    // beside each other (partsOf numbers ids in another order than the chunks count them).
    for (const table of ['rollupMinute', 'rollupHour', 'insightMinute', 'insightHour'] as const) {
      const keys = decodeCopyBinary(many[table], ROLLUP_TYPES).map((r) => [
        Date.parse(String(r[0])),
        Number(r[1]),
      ]);
      const sorted = [...keys].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      expect(keys, table).toEqual(sorted);
      expect(new Set(keys.map((k) => k[0])).size, table).toBeGreaterThan(1);
    }
    // The chunks alone repeat hour keys that the batch writes once.
    const separate: string[] = [];
    for (const c of parts) separate.push(...rows(encodeBatch(batchOf(c), await partsOf([c])), 'rollupHour'));
    expect(separate.length).toBeGreaterThan(rows(many, 'rollupHour').length);
  });

  it('numbers tuples once across the chunks of a thread, with the same rows', async () => {
    const dictionary = new PrepareDictionary('thread');
    const threaded = prepareInParts(6, dictionary);
    // Each tuple crosses to the main thread once: in the first chunk that counts it.
    const sent = (f: (c: PreparedChunk) => string[]) => threaded.flatMap(f);
    expect(sent((c) => c.dims).sort()).toEqual([...whole.dims].sort());
    expect(sent((c) => c.insights.dims).sort()).toEqual([...whole.insights.dims].sort());
    expect(sent((c) => c.slices.id).sort()).toEqual([...whole.slices.id].sort());
    expect(threaded[5].dimsBase).toBe(sent((c) => c.dims).length - threaded[5].dims.length);
    expect(sent((c) => c.dims).length).toBeLessThan(parts.reduce((n, c) => n + c.dims.length, 0));
    const one = encodeBatch(batchOf(whole), await partsOf([whole]));
    // In two batches of three chunks: the second resolves only the tuples new to it.
    const first = encodeBatch(
      batchOf(mergeChunks(threaded.slice(0, 3))),
      await partsOf(threaded.slice(0, 3)),
    );
    const second = encodeBatch(batchOf(mergeChunks(threaded.slice(3))), await partsOf(threaded.slice(3)));
    const all = encodeBatch(batchOf(mergeChunks(parts)), await partsOf(parts));
    for (const table of ['rollupMinute', 'insightMinute', 'sliceMinute'] as const) {
      // Minute keys do not straddle the cut often; summed per key, both batches hold the whole.
      const sum = (rs: string[]) => {
        const m = new Map<string, number>();
        for (const r of rs) {
          const cols = r.split('\t');
          const key = cols.slice(0, -3).join('\t'); // without the batch key (file, offset)
          m.set(key, (m.get(key) ?? 0) + Number(cols.at(-1)));
        }
        return [...m].sort();
      };
      expect(sum([...rows(first, table), ...rows(second, table)]), table).toEqual(sum(rows(one, table)));
      expect(rows(all, table), table).toEqual(rows(one, table));
    }
  });

  it('is one chunk unchanged', () => {
    expect(mergeChunks([whole])).toBe(whole);
  });
});
