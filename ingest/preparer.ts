import { Worker } from 'node:worker_threads';
import type { PreparedChunk, PrepareInput } from './prepare.ts';

type Pending = { resolve: (chunk: PreparedChunk) => void; reject: (e: Error) => void };

/**
 * Runs prepareChunk on parsing threads: consecutive chunks of a file are parsed and encoded in
 * parallel, and alongside the database writing the previous batch.
 */
export class ChunkPreparer {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(readonly threads = 2) {
    for (let i = 0; i < threads; i++) {
      const worker = new Worker(new URL('./prepare-thread.mjs', import.meta.url));
      worker.unref();
      worker.on('message', (msg: { id: number; chunk?: PreparedChunk; error?: string }) => {
        const p = this.pending.get(msg.id);
        if (!p) return;
        this.pending.delete(msg.id);
        if (msg.error || !msg.chunk) p.reject(new Error(`chunk preparation failed: ${msg.error}`));
        else p.resolve(msg.chunk);
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
