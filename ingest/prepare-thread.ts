import { readSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { type PrepareInput, prepareChunk } from './prepare.ts';

export interface PrepareRequest extends PrepareInput {
  id: number;
  /** A descriptor the main thread holds open (descriptors are shared by the process's threads). */
  fd: number;
  length: number;
}

// The worker's parsing thread: reads a chunk of a file and prepares it (split, parse, encode).
parentPort?.on('message', (req: PrepareRequest) => {
  try {
    const buf = Buffer.allocUnsafe(req.length);
    let read = 0;
    while (read < req.length) {
      const n = readSync(req.fd, buf, read, req.length - read, req.offset + read);
      if (n === 0) break;
      read += n;
    }
    const chunk = prepareChunk(buf.subarray(0, read), req);
    parentPort?.postMessage(
      { id: req.id, chunk, bytesRead: read },
      chunk.recordChunks.map((c) => c.buffer as ArrayBuffer),
    );
  } catch (error) {
    parentPort?.postMessage({ id: req.id, error: (error as Error).stack ?? String(error) });
  }
});
