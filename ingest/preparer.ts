import { Worker } from 'node:worker_threads';
import type { PreparedChunk } from './prepare.ts';
import type { PrepareRequest } from './prepare-thread.ts';

type Pending = {
  resolve: (v: { chunk: PreparedChunk; bytesRead: number }) => void;
  reject: (e: Error) => void;
};

/**
 * Runs prepareChunk on a second thread: parsing and encoding (the worker's CPU work) then overlap
 * with the database writing the previous batch, on another core.
 */
export class ChunkPreparer {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor() {
    this.worker = new Worker(new URL('./prepare-thread.mjs', import.meta.url));
    this.worker.unref();
    this.worker.on(
      'message',
      (msg: { id: number; chunk?: PreparedChunk; bytesRead?: number; error?: string }) => {
        const p = this.pending.get(msg.id);
        if (!p) return;
        this.pending.delete(msg.id);
        if (msg.error || !msg.chunk) p.reject(new Error(`chunk preparation failed: ${msg.error}`));
        else p.resolve({ chunk: msg.chunk, bytesRead: msg.bytesRead ?? 0 });
      },
    );
    this.worker.on('error', (error) => {
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
    });
  }

  prepare(req: Omit<PrepareRequest, 'id'>): Promise<{ chunk: PreparedChunk; bytesRead: number }> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...req, id });
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
