import type pg from 'pg';
import type { Logger } from 'pino';
import { SLICE_KIND_COUNT } from '../lib/db/slice-kinds.ts';
import { firstDayKept } from '../lib/raw-retention.ts';

/** The minute rollup tables, each with the key prefix its primary key orders `bucket` under. */
export const MINUTE_TABLES = ['rollup_minute', 'rollup_insight_minute', 'rollup_slice_minute'] as const;
export type MinuteTable = (typeof MINUTE_TABLES)[number];

/**
 * How long a reader may take from reading minute_retention to starting its query: rows are deleted
 * row by row, so a statement that started sees them all (its snapshot), and only one built with
 * the previous boundary but started after the deletes began could miss some.
 */
const MINUTE_RETENTION_GRACE_MS = 5000;
/**
 * Rows deleted per statement: each statement is its own short transaction (row locks held for
 * tens of milliseconds), so the ingest's writes and the compaction of the same tables never wait
 * for a day's deletion, and no single statement bloats the WAL with millions of rows.
 */
const BATCH_ROWS = 10_000;

export interface MinuteRetentionResult {
  keptFrom: Date;
  deleted: Record<MinuteTable, number>;
  /** Stopped between two batches (the rest is deleted by the next pass). */
  stopped: boolean;
}

export interface PruneOptions {
  graceMs?: number;
  batchRows?: number;
  /** Checked between batches: a stopping worker stops deleting at once. */
  stopped?: () => boolean;
  now?: number;
  /**
   * Told of every statement: rows deleted, ms taken (the benchmark's longest statement). The next
   * statement waits for a promise it returns.
   */
  onBatch?: (table: MinuteTable, rows: number, ms: number) => void | Promise<void>;
}

/**
 * Deletes the minute rollup rows older than `days` days: every row whose bucket is before the
 * start of the UTC day `days` days ago (firstDayKept, the raw retention's rule). First publishes
 * that start (minute_retention, only ever moved forward): the stats queries read no minute row
 * before it, whatever retention the app was given, and refuse what needs one. When it moved and
 * there are rows to delete, it waits `graceMs` first, so that a query built with the previous
 * value has started. Rows are deleted in order of bucket, `batchRows` per statement, from where
 * the last statement stopped (an index range, not a scan from the start over the rows already
 * deleted). Rows written before the boundary after it (a backfill of old files) are not read, and
 * are deleted by the next pass.
 */
export async function pruneMinuteRollups(
  pool: pg.Pool,
  days: number,
  options: PruneOptions = {},
): Promise<MinuteRetentionResult> {
  const keptFrom = new Date(firstDayKept(days, options.now));
  const batchRows = options.batchRows ?? BATCH_ROWS;
  const stopped = options.stopped ?? (() => false);
  const published = await pool.query<{ before: Date | null }>(
    `WITH before AS (SELECT kept_from FROM minute_retention)
     INSERT INTO minute_retention (kept_from) VALUES ($1)
         ON CONFLICT (id) DO UPDATE SET kept_from = GREATEST(minute_retention.kept_from, EXCLUDED.kept_from)
     RETURNING (SELECT kept_from FROM before) AS before`,
    [keptFrom],
  );
  const before = published.rows[0].before?.getTime() ?? Number.NEGATIVE_INFINITY;
  const deleted: Record<MinuteTable, number> = {
    rollup_minute: 0,
    rollup_insight_minute: 0,
    rollup_slice_minute: 0,
  };
  // The ranges to delete: by slice kind for the slice table (its primary key starts with it).
  const ranges: { table: MinuteTable; kind: number | null }[] = [
    { table: 'rollup_minute', kind: null },
    { table: 'rollup_insight_minute', kind: null },
    ...Array.from({ length: SLICE_KIND_COUNT }, (_, kind) => ({
      table: 'rollup_slice_minute' as const,
      kind,
    })),
  ];
  const old = await pool.query<{ any: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM rollup_minute WHERE bucket < $1)
         OR EXISTS (SELECT 1 FROM rollup_insight_minute WHERE bucket < $1)
         OR EXISTS (SELECT 1 FROM rollup_slice_minute WHERE kind = ANY($2::int[]) AND bucket < $1) AS any`,
    [keptFrom, ranges.flatMap((r) => (r.kind === null ? [] : [r.kind]))],
  );
  if (!old.rows[0].any) return { keptFrom, deleted, stopped: false };
  if (keptFrom.getTime() > before)
    await new Promise((r) => setTimeout(r, options.graceMs ?? MINUTE_RETENTION_GRACE_MS));
  for (const { table, kind } of ranges) {
    // The names are spliced into the statement: only ever those of the fixed list.
    const byKind = kind === null ? '' : 'kind = $4 AND ';
    // `found`, not the rows deleted, says whether more are left: a row found here may have been
    // deleted meanwhile by the compaction of a backfilled minute.
    const sql = `WITH doomed AS MATERIALIZED (
        SELECT ctid AS id, bucket FROM ${table} WHERE ${byKind}bucket >= $1 AND bucket < $2 ORDER BY bucket LIMIT $3),
      gone AS (DELETE FROM ${table} WHERE ctid = ANY(ARRAY(SELECT id FROM doomed)) RETURNING 1)
      SELECT (SELECT count(*) FROM doomed)::int AS found, (SELECT count(*) FROM gone)::int AS n,
             (SELECT max(bucket) FROM doomed) AS last`;
    let cursor: Date | string = '-infinity';
    for (;;) {
      if (stopped()) return { keptFrom, deleted, stopped: true };
      const params: unknown[] = [cursor, keptFrom, batchRows];
      if (kind !== null) params.push(kind);
      const started = performance.now();
      const { rows } = await pool.query<{ found: number; n: number; last: Date | null }>(sql, params);
      await options.onBatch?.(table, rows[0].n, performance.now() - started);
      deleted[table] += rows[0].n;
      // The last bucket may hold more rows: the next statement starts at it.
      if (rows[0].found < batchRows || !rows[0].last) break;
      cursor = rows[0].last;
    }
  }
  return { keptFrom, deleted, stopped: false };
}

/**
 * The worker's minute rollup retention: a pass at a time (pruneMinuteRollups), beside the ingest
 * on connections of the pool, never in its way: a day of a busy sender's minute rows (~40M rows
 * in the three tables at 100M records a day) takes minutes to delete, and the ingest goes on.
 */
export class MinuteRetention {
  private running: Promise<void> | null = null;
  private stopping = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly days: number,
    private readonly logger: Logger,
  ) {}

  /** Starts a pass unless one is running; returns at once. */
  kick(): void {
    if (this.running || this.stopping) return;
    const started = performance.now();
    this.running = pruneMinuteRollups(this.pool, this.days, { stopped: () => this.stopping })
      .then((r) => {
        const total = Object.values(r.deleted).reduce((a, b) => a + b, 0);
        if (total > 0)
          this.logger.info(
            {
              keptFrom: r.keptFrom,
              deleted: r.deleted,
              ms: Math.round(performance.now() - started),
              stopped: r.stopped,
            },
            'deleted minute rollup rows past retention',
          );
      })
      .catch((error) => this.logger.warn({ err: error }, 'minute rollup retention failed; will retry'))
      .finally(() => {
        this.running = null;
      });
  }

  /** Resolves once no pass is running (the end of a --once run waits for it). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Stops after the batch being deleted. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.idle();
  }
}
