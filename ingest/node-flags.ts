/**
 * V8 flags the worker runs with (`npm run ingest`, benchmarks, tests): a capped old space makes
 * V8 collect parsed batches promptly instead of growing the heap (peak RSS ≤ 300 MB on a
 * 1M-record backfill). The main thread's 8 MB semi-spaces: since the rollups are encoded in
 * buffers and tuples are sent once per parsing thread, it makes little young garbage, and at 16 MB
 * its young generation alone held ~25 MB more RSS. The flag also sets the parsing thread's
 * semi-spaces (V8 puts it above the thread's own resourceLimits, see preparer.ts).
 * `--single-threaded-gc`: the threads collect their own garbage instead of handing it to V8's
 * helper threads, which took ~5 s of CPU on a 1M-record backfill (four threads at ~1.2 s each) on
 * a machine whose two cores the parsing thread and PostgreSQL already keep busy. Worker CLI
 * `--once`, 1M records, alternating, five rounds: 18.7–21.3 s (mean 20.2) against 20.5–25.4 s
 * (mean 22.0).
 * `--heap-growing-percent=100`: the old generation may double before the next full collection.
 * The main thread's live heap is small (~19 MB) and a batch in flight promotes ~4 MB, so V8's
 * default growth (~1.2 ×) ran a full collection every ~0.6 s, ~85 ms each without helper threads:
 * 6.2 s of the main thread's CPU per 1M records (`--trace-gc`), 3.1 s with this flag (and the
 * parsing thread's full collections 1.7 → 0.9 s), for ~25 MB more peak RSS.
 */
export const INGEST_NODE_FLAGS = [
  '--max-semi-space-size=8',
  '--max-old-space-size=256',
  '--single-threaded-gc',
  '--heap-growing-percent=100',
];

/**
 * Environment of the worker's process. `MALLOC_ARENA_MAX=2`: glibc gives each thread that
 * allocates its own malloc arena, and the COPY buffers the parsing thread fills and the main thread
 * frees are spread over them; two arenas held 10–30 MB less peak RSS on a 1M-record backfill.
 */
export const INGEST_ENV: Record<string, string> = { MALLOC_ARENA_MAX: '2' };

/** The worker CLI bundled into plain JavaScript, relative to the root (scripts/build-worker.ts). */
export const INGEST_BUNDLE = 'dist/ingest/cli.mjs';
