import type pg from 'pg';
import type { DimResolver } from './dims.ts';
import type { PreparedChunk } from './prepare.ts';

/** What resolves joined tuples to database ids (DimResolver). */
export type Resolver = Pick<DimResolver, 'resolveJoined'>;

/**
 * The main thread's mirror of one PrepareDictionary: the database id of each dimension and insight
 * tuple it numbered, and the identity of each slice. Chunks are added in the order their thread
 * prepared them (all of them, also those the worker then discards: the thread numbered their
 * tuples all the same); a chunk's counts are resolved once every tuple up to its last is.
 */
export class DictionaryMirror {
  /** acct_dim id by dimension number (filled up to the last tuple resolved). */
  readonly dimIds: number[] = [];
  /** insight_dim id by insight number. */
  readonly insightIds: number[] = [];
  /** Slice identity by slice number (see SliceChunk.id). */
  readonly sliceIds: string[] = [];
  /** Keys of the tuples numbered after the last resolved one, in order. */
  private readonly pendingDims: string[] = [];
  private readonly pendingInsights: string[] = [];
  private resolving: Promise<void> = Promise.resolve();

  constructor(readonly id: string) {}

  /** A mirror of a chunk prepared with a dictionary of its own (it carries every tuple it counts). */
  static of(chunk: PreparedChunk): DictionaryMirror {
    const mirror = new DictionaryMirror(chunk.dictionary);
    mirror.add(chunk);
    return mirror;
  }

  /** Takes in the tuples and slices the chunk added to the dictionary. */
  add(chunk: PreparedChunk): void {
    if (chunk.dictionary !== this.id)
      throw new Error(`chunk of dictionary ${chunk.dictionary} added to ${this.id}`);
    const expect = (what: string, base: number, have: number) => {
      if (base !== have)
        throw new Error(`dictionary ${this.id} out of step: ${what} from ${base}, mirror has ${have}`);
    };
    expect('dimensions', chunk.dimsBase, this.dimIds.length + this.pendingDims.length);
    expect('insights', chunk.insights.dimsBase, this.insightIds.length + this.pendingInsights.length);
    expect('slices', chunk.slices.idBase, this.sliceIds.length);
    for (const k of chunk.dims) this.pendingDims.push(k);
    for (const k of chunk.insights.dims) this.pendingInsights.push(k);
    for (const k of chunk.slices.id) this.sliceIds.push(k);
  }

  /** Resolves every tuple added so far to its database id (inserting the ones not there yet). */
  resolve(pool: pg.Pool, dims: Resolver, insights: Resolver): Promise<void> {
    // One resolution at a time: each appends the ids of the keys it took.
    const run = this.resolving.then(async () => {
      await resolvePending(pool, dims, this.pendingDims, this.dimIds);
      await resolvePending(pool, insights, this.pendingInsights, this.insightIds);
    });
    this.resolving = run.catch(() => {});
    return run;
  }
}

/** Moves the ids of the pending keys (those there when it starts) from `pending` to `ids`. */
async function resolvePending(pool: pg.Pool, resolver: Resolver, pending: string[], ids: number[]) {
  if (pending.length === 0) return;
  const keys = pending.slice();
  const found = await resolver.resolveJoined(pool, keys);
  pending.splice(0, keys.length);
  for (const id of found) ids.push(id);
}
