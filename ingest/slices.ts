import { MINUTE_SLICE_KINDS, SLICE_KIND_COUNT } from '../lib/db/slice-kinds.ts';
import {
  addCount,
  type BucketCounts,
  coarserCounts,
  flattenCounts,
  type LocalCounts,
  utcMonth,
} from './bucket-counts.ts';

const DAY = 86_400_000;
const SEP = '\u0001';

/**
 * The slice rollups of one chunk (bucket × type × one dimension value, see lib/db/slice-kinds.ts),
 * derived from its star rollup counts: `dim` of each LocalCounts indexes `id`, a slice's identity
 * `kind SEP type SEP key` (sliceFields reads it back).
 */
export interface SliceChunk {
  id: string[];
  minute: LocalCounts;
  hour: LocalCounts;
  day: LocalCounts;
  month: LocalCounts;
}

export function emptySlices(): SliceChunk {
  const empty = () => ({ bucket: [], dim: [], n: [] });
  return { id: [], minute: empty(), hour: empty(), day: empty(), month: empty() };
}

/**
 * Folds a chunk's star counts (per bucket × dimension tuple, `dims[i]` = [type, source, domain,
 * provider, vmta, pool, ip, job, bounceCat]) into slice counts: minute grain for the minute kinds,
 * hour grain for every kind, UTC day grain from the hours, UTC month grain from the days.
 */
export function sliceRollups(dims: string[][], minute: BucketCounts, hour: BucketCounts): SliceChunk {
  const out: SliceChunk = emptySlices();
  const index = new Map<string, number>();
  // Slice of (dim, kind), resolved once per distinct tuple: -1 = not yet.
  const sliceOf = new Int32Array(dims.length * SLICE_KIND_COUNT).fill(-1);
  const slice = (dim: number, kind: number): number => {
    const at = dim * SLICE_KIND_COUNT + kind;
    let s = sliceOf[at];
    if (s >= 0) return s;
    const tuple = dims[dim];
    const key = kind === 0 ? '' : tuple[kind];
    const id = `${kind}${SEP}${tuple[0]}${SEP}${key}`;
    s = index.get(id) ?? -1;
    if (s < 0) {
      s = out.id.length;
      index.set(id, s);
      out.id.push(id);
    }
    sliceOf[at] = s;
    return s;
  };
  const minuteCounts: BucketCounts = new Map();
  for (const [bucket, byDim] of minute) {
    for (const [dim, n] of byDim) {
      for (const kind of MINUTE_SLICE_KINDS) addCount(minuteCounts, bucket, slice(dim, kind), n);
    }
  }
  const hourCounts: BucketCounts = new Map();
  for (const [bucket, byDim] of hour) {
    for (const [dim, n] of byDim) {
      for (let kind = 0; kind < SLICE_KIND_COUNT; kind++) addCount(hourCounts, bucket, slice(dim, kind), n);
    }
  }
  out.minute = flattenCounts(minuteCounts);
  out.hour = flattenCounts(hourCounts);
  const dayCounts = coarserCounts(hourCounts, DAY);
  out.day = flattenCounts(dayCounts);
  out.month = flattenCounts(coarserCounts(dayCounts, utcMonth));
  return out;
}

/** The columns of a slice identity (SliceChunk.id): its kind, record type and key. */
export function sliceFields(id: string): { kind: number; type: string; key: string } {
  const a = id.indexOf(SEP);
  const b = id.indexOf(SEP, a + 1);
  return { kind: Number(id.slice(0, a)), type: id.slice(a + 1, b), key: id.slice(b + 1) };
}
