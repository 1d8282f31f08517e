/**
 * V8 flags the worker runs with (`npm run ingest`, benchmarks, tests): a capped old space makes
 * V8 collect parsed batches promptly instead of growing the heap (peak RSS ≤ 300 MB on a
 * 1M-record backfill). The main thread's 8 MB semi-spaces: since the rollups are encoded in
 * buffers and tuples are sent once per parsing thread, it makes little young garbage, and at 16 MB
 * its young generation alone held ~25 MB more RSS (the parsing thread sets its own, preparer.ts).
 * `--single-threaded-gc`: the threads collect their own garbage instead of handing it to V8's
 * helper threads, which took ~5 s of CPU on a 1M-record backfill (four threads at ~1.2 s each) on
 * a machine whose two cores the parsing thread and PostgreSQL already keep busy. Worker CLI
 * `--once`, 1M records, alternating, five rounds: 18.7–21.3 s (mean 20.2) against 20.5–25.4 s
 * (mean 22.0).
 */
export const INGEST_NODE_FLAGS = [
  '--max-semi-space-size=8',
  '--max-old-space-size=256',
  '--single-threaded-gc',
];
