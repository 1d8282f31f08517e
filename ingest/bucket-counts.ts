// Counts per (time bucket, local index) that the parsing thread builds for each rollup of a chunk,
// and their flat form that crosses the thread boundary.

/** bucket (ms) → local index (dimension tuple, insight tuple or slice) → count. */
export type BucketCounts = Map<number, Map<number, number>>;

/** Flat counts of one chunk: row i is (bucket[i], dim[i]) → n[i]. */
export interface LocalCounts {
  bucket: number[];
  dim: number[];
  n: number[];
}

export function addCount(map: BucketCounts, bucket: number, dim: number, n = 1): void {
  let byDim = map.get(bucket);
  if (!byDim) {
    byDim = new Map();
    map.set(bucket, byDim);
  }
  byDim.set(dim, (byDim.get(dim) ?? 0) + n);
}

export function flattenCounts(map: BucketCounts): LocalCounts {
  const out: LocalCounts = { bucket: [], dim: [], n: [] };
  for (const [bucket, byDim] of map) {
    for (const [dim, n] of byDim) {
      out.bucket.push(bucket);
      out.dim.push(dim);
      out.n.push(n);
    }
  }
  return out;
}

/** The same counts in coarser UTC buckets of `unitMs` (hours from minutes, days from hours). */
export function coarserCounts(map: BucketCounts, unitMs: number): BucketCounts {
  const out: BucketCounts = new Map();
  for (const [bucket, byDim] of map) {
    const coarse = bucket - (((bucket % unitMs) + unitMs) % unitMs);
    for (const [dim, n] of byDim) addCount(out, coarse, dim, n);
  }
  return out;
}
