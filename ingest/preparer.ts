import { Worker } from 'node:worker_threads';
import { DictionaryMirror } from './dictionary.ts';
import type { PreparedChunk, PrepareInput } from './prepare.ts';

const PARSE_YOUNG_GENERATION_MB = 48;

type Pending = { resolve: (chunk: PreparedChunk) => void; reject: (e: Error) => void };

/**
 * Runs prepareChunk on parsing threads: consecutive chunks of a file are parsed and encoded in
 * parallel, and alongside the database writing the previous batch.
 */
export class ChunkPreparer {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  /** Each thread's current dictionary, mirrored (chunks in flight keep theirs when it changes). */
  private readonly mirrors: (DictionaryMirror | null)[] = [];
  private nextId = 1;

  /** `dictionaryMaxEntries`: when a thread starts a new dictionary (tests make it small). */
  constructor(
    readonly threads = 2,
    options: { dictionaryMaxEntries?: number } = {},
  ) {
    for (let i = 0; i < threads; i++) {
      const worker = new Worker(new URL('./prepare-thread.mjs', import.meta.url), {
        workerData: options,
        // The parsing thread allocates per record: 16 MB semi-spaces keep its scavenges few. V8
        // gives a --max-semi-space-size flag precedence over this limit, so where the process has
        // one (INGEST_NODE_FLAGS: 8 MB, for the main thread's RSS) it applies here too: ~610
        // scavenges per 1M records, 0.4–0.5 s (--trace-gc) since chunks are cut into records a
        // piece at a time (prepare.ts). 16 MB for both threads halved their time when they took
        // ~2.6 s, but added ~55 MB of peak RSS. This limit holds where the worker runs in-process
        // without flags (npm start, tests).
        resourceLimits: { maxYoungGenerationSizeMb: PARSE_YOUNG_GENERATION_MB },
      });
      worker.unref();
      const thread = i;
      this.mirrors.push(null);
      worker.on('message', (msg: { id: number; chunk?: PreparedChunk; error?: string }) => {
        const p = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        if (msg.error || !msg.chunk) {
          p?.reject(new Error(`chunk preparation failed: ${msg.error}`));
          return;
        }
        // Every chunk of the thread goes into its mirror, in order, whether or not it is used.
        let mirror = this.mirrors[thread];
        if (mirror?.id !== msg.chunk.dictionary) {
          mirror = new DictionaryMirror(msg.chunk.dictionary);
          this.mirrors[thread] = mirror;
        }
        try {
          mirror.add(msg.chunk);
          msg.chunk.mirror = mirror;
          p?.resolve(msg.chunk);
        } catch (error) {
          p?.reject(error as Error);
        }
      });
      worker.on('error', (error) => {
        for (const p of this.pending.values()) p.reject(error);
        this.pending.clear();
      });
      this.workers.push(worker);
    }
  }

  /** Prepares `bytes` (which must own its ArrayBuffer: it is transferred) on thread `slot`. */
  prepare(slot: number, bytes: Uint8Array, input: PrepareInput): Promise<PreparedChunk> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.workers[slot % this.workers.length].postMessage({ id, bytes, input }, [
        bytes.buffer as ArrayBuffer,
      ]);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
