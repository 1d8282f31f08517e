import { parentPort, threadId, workerData } from 'node:worker_threads';
import { PrepareDictionary, type PrepareInput, prepareChunk } from './prepare.ts';

export interface PrepareRequest {
  id: number;
  /** The chunk's bytes, transferred (not copied) from the main thread. */
  bytes: Uint8Array;
  input: PrepareInput;
}

// A parsing thread of the worker: prepares a chunk (split, parse, encode) and transfers the
// encoded rows back. Its dictionary numbers tuples across chunks, in the order the chunks are
// requested, which is the order the main thread receives them in (its mirror follows along).
const maxEntries: number | undefined = workerData?.dictionaryMaxEntries;
let generation = 0;
const newDictionary = () => new PrepareDictionary(`${threadId}.${generation++}`, maxEntries);
let dictionary = newDictionary();

parentPort?.on('message', ({ id, bytes, input }: PrepareRequest) => {
  if (dictionary.full) dictionary = newDictionary();
  try {
    const chunk = prepareChunk(
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      input,
      dictionary,
    );
    parentPort?.postMessage(
      { id, chunk },
      chunk.recordChunks.map((c) => c.buffer as ArrayBuffer),
    );
  } catch (error) {
    // The dictionary may hold tuples no chunk carried to the main thread: start a new one.
    dictionary = newDictionary();
    parentPort?.postMessage({ id, error: (error as Error).stack ?? String(error) });
  }
});
