/**
 * V8 flags the worker runs with (`npm run ingest`, benchmarks, tests): a capped old space makes
 * V8 collect parsed batches promptly instead of growing the heap (peak RSS ≤ 300 MB on a
 * 1M-record backfill), and 16 MB semi-spaces keep short-lived parse garbage cheap.
 */
export const INGEST_NODE_FLAGS = ['--max-semi-space-size=16', '--max-old-space-size=256'];
