import { parentPort } from 'node:worker_threads';
import { type PrepareInput, prepareChunk } from './prepare.ts';

export interface PrepareRequest {
  id: number;
  /** The chunk's bytes, transferred (not copied) from the main thread. */
  bytes: Uint8Array;
  input: PrepareInput;
}

// A parsing thread of the worker: prepares a chunk (split, parse, encode) and transfers the
// encoded rows back.
parentPort?.on('message', ({ id, bytes, input }: PrepareRequest) => {
  try {
    const chunk = prepareChunk(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), input);
    parentPort?.postMessage(
      { id, chunk },
      chunk.recordChunks.map((c) => c.buffer as ArrayBuffer),
    );
  } catch (error) {
    parentPort?.postMessage({ id, error: (error as Error).stack ?? String(error) });
  }
});
