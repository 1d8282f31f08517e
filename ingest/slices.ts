import { MINUTE_SLICE_KINDS, SLICE_KIND_COUNT } from '../lib/db/slice-kinds.ts';
import {
  addCount,
  type BucketCounts,
  coarserCounts,
  flattenCounts,
  type LocalCounts,
  utcMonth,
} from './bucket-counts.ts';
import { DIM_SEP, ownString } from './insights.ts';

const DAY = 86_400_000;
const SEP = DIM_SEP;

/**
 * The slice rollups of one chunk (bucket × type × one dimension value, see lib/db/slice-kinds.ts),
 * derived from its star rollup counts: `dim` of each LocalCounts is a slice number of the
 * chunk's SliceDictionary; `id` holds the identities (`kind SEP type SEP key`, read back by
 * sliceFields) of the slices this chunk added to it, numbered from `idBase`.
 */
export interface SliceChunk {
  id: string[];
  idBase: number;
  minute: LocalCounts;
  hour: LocalCounts;
  day: LocalCounts;
  month: LocalCounts;
}

export function emptySlices(): SliceChunk {
  const empty = () => ({ bucket: [], dim: [], n: [] });
  return { id: [], idBase: 0, minute: empty(), hour: empty(), day: empty(), month: empty() };
}

/**
 * The slices of every dimension tuple a parsing thread has seen, across its chunks: each tuple's
 * slice per kind is found once, when the tuple is first seen, not once per chunk.
 */
export class SliceDictionary {
  private readonly index = new Map<string, number>();
  /** Slice of (dim, kind) at dim × SLICE_KIND_COUNT + kind. */
  private readonly ofDim: number[] = [];
  private added: string[] = [];
  private addedFrom = 0;

  get size(): number {
    return this.index.size;
  }

  /**
   * Registers the next dimension tuple ([type, source, domain, provider, vmta, pool, ip, job,
   * bounceCat]; dims are numbered in the order they are added).
   */
  addDim(tuple: readonly string[]): void {
    for (let kind = 0; kind < SLICE_KIND_COUNT; kind++) {
      const id = `${kind}${SEP}${tuple[0]}${SEP}${kind === 0 ? '' : tuple[kind]}`;
      let s = this.index.get(id);
      if (s === undefined) {
        s = this.index.size;
        const own = ownString(id); // kept for the dictionary's life
        this.index.set(own, s);
        this.added.push(own);
      }
      this.ofDim.push(s);
    }
  }

  sliceOf(dim: number, kind: number): number {
    return this.ofDim[dim * SLICE_KIND_COUNT + kind];
  }

  /** The slices added since the last call, and the number of the first. */
  takeAdded(): { id: string[]; idBase: number } {
    const out = { id: this.added, idBase: this.addedFrom };
    this.added = [];
    this.addedFrom = this.index.size;
    return out;
  }
}

/**
 * Folds a chunk's star counts (per bucket × dimension number of `slices`) into slice counts:
 * minute grain for the minute kinds, hour grain for every kind, UTC day grain from the hours, UTC
 * month grain from the days.
 */
export function sliceRollups(slices: SliceDictionary, minute: BucketCounts, hour: BucketCounts): SliceChunk {
  const minuteCounts: BucketCounts = new Map();
  for (const [bucket, byDim] of minute) {
    for (const [dim, n] of byDim) {
      for (const kind of MINUTE_SLICE_KINDS) addCount(minuteCounts, bucket, slices.sliceOf(dim, kind), n);
    }
  }
  const hourCounts: BucketCounts = new Map();
  for (const [bucket, byDim] of hour) {
    for (const [dim, n] of byDim) {
      for (let kind = 0; kind < SLICE_KIND_COUNT; kind++)
        addCount(hourCounts, bucket, slices.sliceOf(dim, kind), n);
    }
  }
  const dayCounts = coarserCounts(hourCounts, DAY);
  return {
    ...slices.takeAdded(),
    minute: flattenCounts(minuteCounts),
    hour: flattenCounts(hourCounts),
    day: flattenCounts(dayCounts),
    month: flattenCounts(coarserCounts(dayCounts, utcMonth)),
  };
}

/** The columns of a slice identity (SliceChunk.id): its kind, record type and key. */
export function sliceFields(id: string): { kind: number; type: string; key: string } {
  const a = id.indexOf(SEP);
  const b = id.indexOf(SEP, a + 1);
  return { kind: Number(id.slice(0, a)), type: id.slice(a + 1, b), key: id.slice(b + 1) };
}
