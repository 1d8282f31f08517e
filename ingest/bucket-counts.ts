// Counts per (time bucket, number) that the parsing thread builds for each rollup of a chunk,
// and their flat form that crosses the thread boundary.

/** bucket (ms) → dictionary number (dimension tuple, insight tuple or slice) → count. */
export type BucketCounts = Map<number, Map<number, number>>;

/**
 * Flat counts of one chunk: row i is (bucket[i], dim[i]) → n[i]. Typed arrays from flattenCounts:
 * they cross the thread boundary as three blocks of memory, not as one heap number per bucket.
 */
export interface LocalCounts {
  bucket: ArrayLike<number>;
  dim: ArrayLike<number>;
  n: ArrayLike<number>;
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
  let size = 0;
  for (const byDim of map.values()) size += byDim.size;
  const out = { bucket: new Float64Array(size), dim: new Int32Array(size), n: new Float64Array(size) };
  let i = 0;
  for (const [bucket, byDim] of map) {
    for (const [dim, n] of byDim) {
      out.bucket[i] = bucket;
      out.dim[i] = dim;
      out.n[i] = n;
      i++;
    }
  }
  return out;
}

/** The start of the UTC calendar month holding `ms`. */
export function utcMonth(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

/**
 * The same counts in coarser UTC buckets: of `unit` ms (hours from minutes, days from hours), or
 * the bucket a function gives (months from days).
 */
export function coarserCounts(map: BucketCounts, unit: number | ((ms: number) => number)): BucketCounts {
  const out: BucketCounts = new Map();
  for (const [bucket, byDim] of map) {
    const coarse = typeof unit === 'function' ? unit(bucket) : bucket - (((bucket % unit) + unit) % unit);
    for (const [dim, n] of byDim) addCount(out, coarse, dim, n);
  }
  return out;
}
