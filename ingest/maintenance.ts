import type pg from 'pg';
import type { Logger } from 'pino';
import { IndexKeeper, type RollupTable } from './compact.ts';

/** A table of the worker's schema that autovacuum leaves alone, and what it needs now. */
export interface DueTable {
  name: string;
  vacuum: boolean;
  analyze: boolean;
}

/**
 * The tables of the current schema that autovacuum will not process (the server's `autovacuum` is
 * off, or the table's `autovacuum_enabled` is), each with whether autovacuum's own thresholds,
 * read from the server, say it needs a VACUUM (dead rows; rows inserted since the last one) or an
 * ANALYZE (rows changed since the last one) now. A table never analyzed counts as empty, as for
 * autovacuum. Partitioned parents have no statistics row: their partitions are listed instead.
 */
export async function unvacuumedTables(db: pg.Pool | pg.ClientBase): Promise<DueTable[]> {
  const { rows } = await db.query<DueTable>(
    `WITH s AS (
       SELECT current_setting('autovacuum')::bool AS on,
              current_setting('autovacuum_vacuum_threshold')::float8 AS vt,
              current_setting('autovacuum_vacuum_scale_factor')::float8 AS vsf,
              current_setting('autovacuum_vacuum_insert_threshold', true)::float8 AS vit,
              current_setting('autovacuum_vacuum_insert_scale_factor', true)::float8 AS visf,
              current_setting('autovacuum_analyze_threshold')::float8 AS at,
              current_setting('autovacuum_analyze_scale_factor')::float8 AS asf
     )
     SELECT t.relid::regclass::text AS name,
            t.n_dead_tup > s.vt + s.vsf * greatest(c.reltuples, 0)
              OR COALESCE(s.vit >= 0 AND t.n_ins_since_vacuum > s.vit + s.visf * greatest(c.reltuples, 0), false)
              AS vacuum,
            t.n_mod_since_analyze > s.at + s.asf * greatest(c.reltuples, 0) AS analyze
       FROM pg_stat_user_tables t JOIN pg_class c ON c.oid = t.relid CROSS JOIN s
      WHERE t.schemaname = current_schema()
        AND (NOT s.on OR EXISTS (SELECT 1 FROM unnest(c.reloptions) o
                                  WHERE o ~* '^autovacuum_enabled=(false|off|no|n|f|0)$'))
      ORDER BY t.relid`,
  );
  return rows;
}

/** What the server says of its autovacuum: whether it runs, and whether it could (track_counts). */
async function serverAutovacuum(db: pg.ClientBase) {
  const { rows } = await db.query<{ autovacuum: boolean; counts: boolean }>(
    `SELECT current_setting('autovacuum')::bool AS autovacuum, current_setting('track_counts')::bool AS counts`,
  );
  return rows[0];
}

/** query_canceled: a statement ended by pg_cancel_backend (stop()). */
const isCanceled = (error: unknown) => (error as { code?: string }).code === '57014';

/**
 * The upkeep of the tables the worker writes, run beside the ingest on a connection of its own,
 * one pass at a time, never in the ingest's way (the ingest does not wait for it):
 *
 * - the indexes of the rollup tables a fold has just left sparse are rebuilt (IndexKeeper);
 * - on a server where autovacuum does not run (`autovacuum = off`, as on this project's test
 *   machine, or a table's `autovacuum_enabled = false`), the worker vacuums and analyzes its
 *   tables itself, when autovacuum's thresholds say they need it, at most once a minute. Without
 *   it the folds' dead rows piled up and nothing was analyzed: in a soak test the month slice
 *   table held 1,934 live rows and 578,130 dead ones after 10 minutes, and the incident monitor's
 *   slice query took 12.9 s (43 ms with autovacuum).
 */
export class Maintenance {
  private readonly pending = new Set<RollupTable>();
  private running: Promise<void> | null = null;
  /** Another pass was asked for while one ran. */
  private again = false;
  /** The next pass looks for due tables even if the last look was under vacuumEveryMs ago. */
  private vacuumNow = false;
  /** The server process of the pass running (its statement is cancelled by stop()). */
  private pid: number | null = null;
  private stopped = false;
  private lastVacuumCheck = Number.NEGATIVE_INFINITY;
  private warned = false;
  private readonly opts: Required<MaintenanceOptions>;

  constructor(options: MaintenanceOptions) {
    this.opts = { indexes: new IndexKeeper(), vacuumEveryMs: 60_000, ...options };
  }

  /**
   * Starts a pass (or queues one behind the pass running): the indexes of `folded` are checked,
   * and due tables vacuumed (`vacuumNow`: even if they were looked for under a minute ago, and
   * at full speed: the end of a --once run, which waits for it with nothing else to pace for).
   * Returns at once.
   */
  kick(folded: Iterable<RollupTable> = [], vacuumNow = false): void {
    for (const table of folded) this.pending.add(table);
    this.vacuumNow ||= vacuumNow;
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.pass()
      .catch((error) => {
        if (!(this.stopped && isCanceled(error)))
          this.opts.logger.warn({ err: error }, 'table maintenance failed; will retry');
      })
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /**
   * Starts a pass if due tables were last looked for vacuumEveryMs ago and none is running: the
   * worker calls it on every turn of its loop, so that the last fold's dead rows are vacuumed
   * when traffic stops (passes otherwise follow folds, and an idle worker folds nothing).
   */
  tick(): void {
    if (!this.running && performance.now() - this.lastVacuumCheck >= this.opts.vacuumEveryMs) this.kick();
  }

  /** Resolves once no pass is running or queued (the end of a --once run waits for it). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Stops: a statement running (a VACUUM of a big partition, a rebuild) is cancelled. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.again = false;
    // Cancelled until the pass ends: a cancel between two statements of a pass cancels nothing.
    while (this.running) {
      if (this.pid) await this.opts.pool.query('SELECT pg_cancel_backend($1)', [this.pid]).catch(() => {});
      await Promise.race([this.running, new Promise((resolve) => setTimeout(resolve, 100))]);
    }
  }

  private async pass(): Promise<void> {
    const client = await this.opts.pool.connect();
    let broken: Error | undefined;
    try {
      this.pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
      const tables = [...this.pending];
      for (const table of tables) {
        if (this.stopped) return;
        this.pending.delete(table);
        const outcome = await this.opts.indexes.afterCompaction(client, table);
        if (outcome === 'rebuilt')
          this.opts.logger.info({ table }, 'rebuilt the indexes of a compacted rollup table');
        else if (outcome === 'gave up')
          this.opts.logger.info(
            { table, retryInMs: this.opts.indexes.retryAfterMs },
            'gave up rebuilding the indexes of a rollup table: a transaction older than the rebuild (a pg_dump, a session idle in a transaction) kept it waiting',
          );
      }
      if (this.stopped) return;
      const now = this.vacuumNow;
      if (!now && performance.now() - this.lastVacuumCheck < this.opts.vacuumEveryMs) return;
      this.vacuumNow = false;
      this.lastVacuumCheck = performance.now();
      await this.vacuum(client, !now);
    } catch (error) {
      // A cancelled statement leaves the connection usable; any other failure may not have.
      if (!isCanceled(error)) broken = error as Error;
      throw error;
    } finally {
      this.pid = null;
      client.release(broken);
    }
  }

  private async vacuum(client: pg.PoolClient, paced: boolean): Promise<void> {
    if (!this.warned) {
      this.warned = true;
      const server = await serverAutovacuum(client);
      if (!server.counts)
        this.opts.logger.warn(
          'track_counts is off on this PostgreSQL server: neither autovacuum nor the worker can tell when tables need VACUUM or ANALYZE; turn it on (postgresql.conf)',
        );
      else if (!server.autovacuum)
        this.opts.logger.warn(
          'autovacuum is off on this PostgreSQL server: the worker vacuums and analyzes its own tables when they need it; turn autovacuum on (postgresql.conf) for the rest',
        );
    }
    const started = performance.now();
    const done: DueTable[] = [];
    const due = (await unvacuumedTables(client)).filter((t) => t.vacuum || t.analyze);
    if (due.length === 0) return;
    // Paced as autovacuum paces itself (its cost delay and limit): a VACUUM run by hand is not, and
    // a big day partition's would compete with the ingest for the server at full speed.
    if (paced)
      await client.query(
        `SELECT set_config('vacuum_cost_delay', current_setting('autovacuum_vacuum_cost_delay'), false),
              set_config('vacuum_cost_limit', CASE current_setting('autovacuum_vacuum_cost_limit')
                WHEN '-1' THEN current_setting('vacuum_cost_limit')
                ELSE current_setting('autovacuum_vacuum_cost_limit') END, false)`,
      );
    try {
      for (const table of due) {
        if (this.stopped) break;
        // SKIP_LOCKED: a table another worker is vacuuming, or whose indexes are being rebuilt,
        // is left for the next pass rather than waited for.
        await client.query(
          table.vacuum
            ? `VACUUM (SKIP_LOCKED${table.analyze ? ', ANALYZE' : ''}) ${table.name}`
            : `ANALYZE (SKIP_LOCKED) ${table.name}`,
        );
        done.push(table);
      }
    } finally {
      await client.query('RESET vacuum_cost_delay; RESET vacuum_cost_limit').catch(() => {});
    }
    if (done.length > 0)
      this.opts.logger.debug(
        {
          vacuumed: done.filter((t) => t.vacuum).map((t) => t.name),
          analyzed: done.filter((t) => t.analyze).map((t) => t.name),
          ms: Math.round(performance.now() - started),
          paced,
        },
        'vacuumed and analyzed tables autovacuum leaves alone',
      );
  }
}

export interface MaintenanceOptions {
  pool: pg.Pool;
  logger: Logger;
  indexes?: IndexKeeper;
  /** How often due tables are looked for (autovacuum_naptime's default). */
  vacuumEveryMs?: number;
}
