import { describe, expect, it } from 'vitest';
import type { LocalCounts } from './bucket-counts.ts';
import { decodeCopyBinary } from './copy-binary.ts';
import { Prng } from './demo/prng.ts';
import type { PreparedChunk } from './prepare.ts';
import { type Batch, type BatchPart, encodeBatch, ROLLUP_TYPES } from './writer.ts';

// encodeBatch sums the rollup counts of a batch's chunks per (bucket, id): checked here against a
// plain Map on counts built to collide, across chunks and in the hash table that sums them.

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 5, 1);
const EMPTY: LocalCounts = { bucket: [], dim: [], n: [] };

/** A chunk whose only counts are `minute`, grouped by bucket as flattenCounts makes them. */
function chunkOf(minute: LocalCounts): PreparedChunk {
  const counts = { minute: EMPTY, hour: EMPTY, day: EMPTY, month: EMPTY };
  return {
    minute,
    hour: EMPTY,
    insights: { minute: EMPTY, hour: EMPTY },
    slices: counts,
  } as unknown as PreparedChunk;
}

describe('encodeBatch', () => {
  it('writes one row per (bucket, id) with the sum of every chunk, in (bucket, id) order', () => {
    const rng = new Prng(7);
    // Ids from a small pool (so chunks share them), dense and at both ends of the int4 range.
    const pool = [
      1,
      2,
      3,
      2 ** 31 - 1,
      2 ** 31 - 2,
      ...Array.from({ length: 3000 }, (_, i) => 1000 + i * 64),
    ];
    const expected = new Map<string, number>();
    const parts: BatchPart[] = [];
    for (let p = 0; p < 6; p++) {
      const dimIds = Array.from({ length: 2000 }, () => rng.pick(pool));
      const bucket: number[] = [];
      const dim: number[] = [];
      const n: number[] = [];
      for (let m = 0; m < 30; m++) {
        const seen = new Set<number>();
        for (let k = 0; k < 300; k++) {
          const local = rng.int(dimIds.length);
          // A chunk holds one count per (bucket, dictionary number); two numbers may share an id.
          if (seen.has(local)) continue;
          seen.add(local);
          const count = 1 + rng.int(5);
          bucket.push(T0 + ((m * 7 + p) % 45) * MINUTE);
          dim.push(local);
          n.push(count);
          const key = `${T0 + ((m * 7 + p) % 45) * MINUTE}/${dimIds[local]}`;
          expected.set(key, (expected.get(key) ?? 0) + count);
        }
      }
      parts.push({ chunk: chunkOf({ bucket, dim, n }), dimIds, insightIds: [], sliceIds: [] });
    }
    const batch = { fileId: 4, fromOffset: 120, chunk: parts[0].chunk } as Batch;
    const rows = decodeCopyBinary(encodeBatch(batch, parts).rollupMinute, ROLLUP_TYPES);

    const got = new Map(rows.map((r) => [`${Date.parse(r[0] as string)}/${r[1]}`, r[4]]));
    expect(got.size).toBe(rows.length); // one row per key
    expect(got).toEqual(expected);
    for (const r of rows) expect([r[2], r[3]]).toEqual([4, 120]);
    const order = rows.map((r) => [Date.parse(r[0] as string), r[1] as number]);
    const sorted = [...order].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    expect(order).toEqual(sorted);
  });

  it('refuses an id outside int4', () => {
    const part: BatchPart = {
      chunk: chunkOf({ bucket: [T0], dim: [0], n: [1] }),
      dimIds: [2 ** 31],
      insightIds: [],
      sliceIds: [],
    };
    expect(() => encodeBatch({ fileId: 1, fromOffset: 0, chunk: part.chunk } as Batch, [part])).toThrow(
      /out of range/,
    );
  });
});
