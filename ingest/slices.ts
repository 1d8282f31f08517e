import { MINUTE_SLICE_KINDS, SLICE_KIND_COUNT } from '../lib/db/slice-kinds.ts';
import { copyText } from './copy-text.ts';
import type { LocalRollup } from './prepare.ts';

const DAY = 86_400_000;
const SEP = '\u0001';

/**
 * The slice rollups of one chunk (bucket × type × one dimension value, see lib/db/slice-kinds.ts),
 * derived from its star rollup counts: `dim` of each LocalRollup indexes `row`, the COPY text of a
 * slice between the bucket and the batch key: `kind`, then `key\ttype` (escaped).
 */
export interface SliceChunk {
  kind: number[];
  row: string[];
  minute: LocalRollup;
  hour: LocalRollup;
  day: LocalRollup;
}

export function emptySlices(): SliceChunk {
  const empty = () => ({ bucket: [], dim: [], n: [] });
  return { kind: [], row: [], minute: empty(), hour: empty(), day: empty() };
}

type Counts = Map<number, Map<number, number>>;

function add(map: Counts, bucket: number, slice: number, n: number) {
  let bySlice = map.get(bucket);
  if (!bySlice) {
    bySlice = new Map();
    map.set(bucket, bySlice);
  }
  bySlice.set(slice, (bySlice.get(slice) ?? 0) + n);
}

function flatten(map: Counts): LocalRollup {
  const out: LocalRollup = { bucket: [], dim: [], n: [] };
  for (const [bucket, bySlice] of map) {
    for (const [slice, n] of bySlice) {
      out.bucket.push(bucket);
      out.dim.push(slice);
      out.n.push(n);
    }
  }
  return out;
}

/**
 * Folds a chunk's star counts (per bucket × dimension tuple, `dims[i]` = [type, source, domain,
 * provider, vmta, pool, ip, job, bounceCat]) into slice counts: minute grain for the minute kinds,
 * hour grain for every kind, UTC day grain from the hours.
 */
export function sliceRollups(dims: string[][], minute: Counts, hour: Counts): SliceChunk {
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
      s = out.kind.length;
      index.set(id, s);
      out.kind.push(kind);
      out.row.push(`${kind}\t${copyText(key)}\t${copyText(tuple[0])}`);
    }
    sliceOf[at] = s;
    return s;
  };
  const minuteCounts: Counts = new Map();
  for (const [bucket, byDim] of minute) {
    for (const [dim, n] of byDim) {
      for (const kind of MINUTE_SLICE_KINDS) add(minuteCounts, bucket, slice(dim, kind), n);
    }
  }
  const hourCounts: Counts = new Map();
  for (const [bucket, byDim] of hour) {
    for (const [dim, n] of byDim) {
      for (let kind = 0; kind < SLICE_KIND_COUNT; kind++) add(hourCounts, bucket, slice(dim, kind), n);
    }
  }
  const dayCounts: Counts = new Map();
  for (const [bucket, bySlice] of hourCounts) {
    const day = Math.floor(bucket / DAY) * DAY;
    for (const [s, n] of bySlice) add(dayCounts, day, s, n);
  }
  out.minute = flatten(minuteCounts);
  out.hour = flatten(hourCounts);
  out.day = flatten(dayCounts);
  return out;
}
