/**
 * V8 flags the worker runs with (`npm run ingest`, benchmarks, tests): a capped old space makes
 * V8 collect parsed batches promptly instead of growing the heap (peak RSS ≤ 300 MB on a
 * 1M-record backfill). The main thread's 8 MB semi-spaces: since the rollups are encoded in
 * buffers and tuples are sent once per parsing thread, it makes little young garbage, and at 16 MB
 * its young generation alone held ~25 MB more RSS (the parsing thread sets its own, preparer.ts).
 */
export const INGEST_NODE_FLAGS = ['--max-semi-space-size=8', '--max-old-space-size=256'];
