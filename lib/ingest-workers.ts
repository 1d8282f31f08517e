// How long the rows of ingest workers (ingest_worker) count as running, and are kept once silent.

/** A worker heartbeats every 5 s: one silent this long is not running (crashed, killed, host down). */
export const WORKER_SILENT_AFTER_MS = 30_000;

/**
 * A silent worker's row stays on the ingest screen this long, then the next worker to register
 * drops it. A worker restarted on the same host with the same folders replaces its silent row at
 * once.
 */
export const SILENT_WORKER_KEPT_DAYS = 7;
