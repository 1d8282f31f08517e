import pg from 'pg';
import { SLICE_KIND_COUNT } from '../lib/db/slice-kinds.ts';

/** Every rollup table, with the columns that make a count's key (all but the batch key and n). */
const KEYS = {
  rollup_minute: ['bucket', 'dim_id'],
  rollup_hour: ['bucket', 'dim_id'],
  rollup_insight_minute: ['bucket', 'dim_id'],
  rollup_insight_hour: ['bucket', 'dim_id'],
  rollup_slice_minute: ['kind', 'bucket', 'key', 'type'],
  rollup_slice_hour: ['kind', 'bucket', 'key', 'type'],
  rollup_slice_day: ['kind', 'bucket', 'key', 'type'],
  rollup_slice_month: ['kind', 'bucket', 'key', 'type'],
} as const;
export type RollupTable = keyof typeof KEYS;
export const ROLLUP_TABLES = Object.keys(KEYS) as RollupTable[];

/**
 * The tables in the order to fold them, the ones with the most rows to fold first (1M records of a
 * backfill, one table after another: insight_hour 1.5 s, hour 1.0 s, slice_hour 0.4 s, the others
 * 0.1–0.2 s each), so that lanes folding at once finish close together.
 */
export const COMPACTION_ORDER: readonly RollupTable[] = [
  'rollup_insight_hour',
  'rollup_hour',
  'rollup_slice_hour',
  'rollup_insight_minute',
  'rollup_minute',
  'rollup_slice_day',
  'rollup_slice_month',
  'rollup_slice_minute',
];

/**
 * Runs `task` over `items` with at most `lanes` at once, taking them in order. Every item is tried
 * even when one fails; the first failure is thrown once all have settled.
 */
export async function inLanes<T>(
  items: readonly T[],
  lanes: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const errors: unknown[] = [];
  const lane = async () => {
    while (next < items.length) {
      const item = items[next++];
      await task(item).catch((error: unknown) => {
        errors.push(error);
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(lanes, items.length) }, lane));
  if (errors.length > 0) throw errors[0];
}

/**
 * Folds the rows of every key (bucket, dim / slice) that gathered more than one row since `since`
 * into one. One statement: the DELETE and the INSERT of the sums commit together, so a reader sees
 * either the many rows or the one, with the same SUM(n). Rows appended meanwhile by a writer are
 * not in this statement's snapshot and stay as they are. Day rows are matched from the start of
 * the UTC day holding `since`, month rows from the start of its UTC month. `since` may instead
 * list the buckets to fold (exactly those). Returns the number of rows removed (folded away).
 */
export async function compactRollups(
  pool: pg.Pool,
  table: RollupTable,
  since: Date | readonly Date[],
): Promise<number> {
  // The names are spliced into the statement: only ever those of the fixed list.
  const key = KEYS[table];
  if (!key) throw new Error(`not a rollup table: ${table}`);
  const cols = key.join(', ');
  const from = Array.isArray(since)
    ? null
    : table === 'rollup_slice_day'
      ? "date_trunc('day', $1::timestamptz, 'UTC')"
      : table === 'rollup_slice_month'
        ? "date_trunc('month', $1::timestamptz, 'UTC')"
        : '$1';
  // Slice tables lead their key with `kind`: naming every kind lets the range use the index.
  const range = (alias: string) =>
    (key[0] === 'kind'
      ? `${alias}kind = ANY('{${[...Array(SLICE_KIND_COUNT).keys()].join(',')}}') AND `
      : '') + (from ? `${alias}bucket >= ${from}` : `${alias}bucket = ANY($1::timestamptz[])`);
  const client = await pool.connect();
  try {
    // No nested loop: statistics taken just after a fold (a table of a few rows, over the pages
    // of the rows folded away) make the planner expect one row where there are thousands, and it
    // then ran the GROUP BY again for every row deleted (30,000 rows of one key: still running
    // after 60 s; 58 ms as a merge join). The rows deleted are read by their own range.
    await client.query('BEGIN');
    await client.query('SET LOCAL enable_nestloop = off');
    const { rows } = await client.query<{ removed: string }>(
      `WITH dup AS (
       SELECT ${cols} FROM ${table} WHERE ${range('')}
        GROUP BY ${cols} HAVING count(*) > 1
     ), moved AS (
       DELETE FROM ${table} r USING dup
        WHERE ${range('r.')} AND ${key.map((c) => `r.${c} = dup.${c}`).join(' AND ')}
       RETURNING ${key.map((c) => `r.${c}`).join(', ')}, r.n
     ), k AS (SELECT -nextval('rollup_compaction_seq') AS batch_offset
     ), added AS (
       INSERT INTO ${table} (${cols}, file_id, batch_offset, n)
       SELECT ${key.map((c) => `m.${c}`).join(', ')}, 0, k.batch_offset, SUM(m.n) FROM moved m, k
        GROUP BY ${key.map((c) => `m.${c}`).join(', ')}, k.batch_offset
       RETURNING 1
     )
     SELECT (SELECT count(*) FROM moved) - (SELECT count(*) FROM added) AS removed`,
      [since],
    );
    await client.query('COMMIT');
    // Publishes the table's new live-row count now (IndexKeeper reads it), not within ~10 s.
    await client.query('SELECT pg_stat_force_next_flush()');
    return Number(rows[0].removed);
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/**
 * A rebuilt index's size per live row before one is known for a table (bytes): slice keys
 * (measured 62–76), the star and insight tables' (bucket, dim, file, batch) keys (measured 41).
 */
const healthyBytesPerRow = (table: RollupTable) => (table.startsWith('rollup_slice_') ? 80 : 45);
/**
 * How many times its healthy size an index may grow before it is rebuilt. The slices are read
 * from their indexes alone (index-only scans of keys that include `n`): their bloat is the whole
 * cost of a read. The star and insight tables' reads fetch every row's `n` from the table too, so
 * the same bloat costs them less: after a 1M-record backfill their hour tables' indexes stood at
 * 2.2 × (17 MB; 7.6 MB rebuilt, beside 19 MB of table), and rebuilding them at the end of a
 * --once run took ~6 % of its time; a following worker's minute table reached 5 ×.
 */
const bloatFactor = (table: RollupTable) => (table.startsWith('rollup_slice_') ? 2 : 3);

/**
 * Rebuilds the indexes of a rollup table once they have grown to twice their healthy size for the
 * rows the table holds (three times for the star and insight tables: bloatFactor). Folding leaves
 * B-tree pages mostly empty (a backfill writes a day's key once per batch, then keeps one row of
 * ~25): after loading 10M records the day table's indexes held 611 bytes per row instead of 65–76,
 * and a cold 90-day breakdown by VirtualMTA read 2,550 index pages for 15,000 rows (516 ms; 37 ms
 * rebuilt). A following worker's small batches write a minute's key many times before it is
 * folded: in a 43-minute soak at 1,500 records/s the minute table's primary key reached 109 MB
 * (22 MB rebuilt), and vacuum does not give those pages back (new keys go to the newest pages).
 * The healthy size per row is the one measured after the table's last rebuild. REINDEX
 * CONCURRENTLY blocks neither the ingest nor readers.
 *
 * A table bloated again within 10 minutes of its last rebuild is churning: while following, the
 * hour and day slices hold a few thousand rows and are written tens of thousands of times between
 * folds, and the space vacuum frees is what the next writes reuse (a soak rebuilt them every 60–90
 * s, each writing the whole new index to the WAL). Its next rebuild waits 2 minutes, then twice as
 * long each time it churns again, up to an hour; a rebuild that holds 10 minutes past its wait
 * resets it.
 */
export class IndexKeeper {
  private readonly healthy = new Map<RollupTable, number>();
  /** When a table's rebuild last gave up on a long transaction (not tried again for a while). */
  private readonly gaveUpAt = new Map<RollupTable, number>();
  /** Tables checked for an unfinished copy of their indexes since the last rebuild cut short. */
  private readonly swept = new Set<RollupTable>();
  /** When each table was last rebuilt, and how long its next rebuild waits after that (churn). */
  private readonly rebuiltAt = new Map<RollupTable, number>();
  private readonly backoff = new Map<RollupTable, number>();

  constructor(
    /** Never rebuild indexes smaller than this (small indexes are cheap to read). */
    private readonly minBytes = 16 * 1024 * 1024,
    /**
     * How long a rebuild waits for a lock (lock_timeout). REINDEX CONCURRENTLY waits for every
     * transaction older than itself (a pg_dump, a session left idle in a transaction): when the
     * ingest awaited rebuilds, that stopped it (and its Ctrl-C) until the transaction ended (soak
     * test). Rebuilds now run beside the ingest, but one left waiting would hold up the passes.
     */
    private readonly lockTimeout = '5s',
    /** After giving up, a table's rebuild is not tried again for this long. */
    readonly retryAfterMs = 2 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * After a compaction of `table`: rebuilds its indexes when bloated ('rebuilt'), or says they
   * need no rebuild now ('kept'). Gives up ('gave up') when a transaction older than the rebuild
   * lasts past lockTimeout, dropping the unfinished copy it leaves (an invalid `…_ccnew` index,
   * which writes would keep up to date); the table is not tried again for retryAfterMs.
   * `db` is a pool, or the connection to run on (one the caller may cancel).
   */
  async afterCompaction(
    db: pg.Pool | pg.PoolClient,
    table: RollupTable,
  ): Promise<'rebuilt' | 'kept' | 'gave up'> {
    const gaveUp = this.gaveUpAt.get(table);
    if (gaveUp !== undefined && this.now() - gaveUp < this.retryAfterMs) return 'kept';
    const before = await indexSize(db, table);
    const perRow = this.healthy.get(table) ?? healthyBytesPerRow(table) * before.indexes;
    const lastRebuilt = this.rebuiltAt.get(table);
    const waiting = lastRebuilt !== undefined && this.now() - lastRebuilt < (this.backoff.get(table) ?? 0);
    const bloated =
      !waiting &&
      before.bytes >= this.minBytes &&
      before.bytes > bloatFactor(table) * perRow * Math.max(before.rows, 1);
    // An earlier attempt cut short (a worker stopped, or killed, mid-rebuild) left a copy that
    // writes keep up to date: dropped on the first call for the table, even when not bloated.
    if (!bloated && this.swept.has(table)) return 'kept';
    const client = db instanceof pg.Pool ? await db.connect() : db;
    try {
      await client.query(`SET lock_timeout = '${this.lockTimeout}'`);
      await dropUnfinishedIndexes(client, table);
      this.swept.add(table);
      if (!bloated) return 'kept';
      try {
        await client.query(`REINDEX TABLE CONCURRENTLY ${table}`);
      } catch (error) {
        if (!isLockTimeout(error)) {
          this.swept.delete(table);
          throw error;
        }
        this.gaveUpAt.set(table, this.now());
        await dropUnfinishedIndexes(client, table);
        return 'gave up';
      }
    } finally {
      await client.query('RESET lock_timeout').catch(() => {});
      if (client !== db) client.release();
    }
    this.gaveUpAt.delete(table);
    const rebuilt = this.now();
    // Churning: bloated again within CHURN_MS of when it could be rebuilt again.
    const wait = this.backoff.get(table) ?? 0;
    const churning = lastRebuilt !== undefined && rebuilt - lastRebuilt < wait + CHURN_MS;
    this.backoff.set(table, churning ? Math.min(Math.max(2 * wait, 2 * 60_000), 60 * 60_000) : 0);
    this.rebuiltAt.set(table, rebuilt);
    const after = await indexSize(db, table);
    if (after.rows > 0) this.healthy.set(table, after.bytes / after.rows);
    return 'rebuilt';
  }
}

/** A table bloated again this soon after its last rebuild is churning (IndexKeeper). */
const CHURN_MS = 10 * 60_000;

/** lock_not_available: a wait ended by lock_timeout. */
const isLockTimeout = (error: unknown) => (error as { code?: string }).code === '55P03';

/**
 * Drops the invalid copies an interrupted REINDEX CONCURRENTLY left on `table` (`…_ccnew`), and on
 * its TOAST table (a table with text columns has one, and REINDEX TABLE rebuilds its index too: a
 * soak test found three left in `pg_toast`, and every later rebuild warned of them), unless one is
 * being built right now (another worker's rebuild). DROP INDEX CONCURRENTLY: a plain DROP's lock
 * request, queued behind a reader (a pg_dump), would hold up the ingest's writes to the table
 * while it waited. Under the session's lock_timeout: a drop that cannot finish waiting in time is
 * left for the next attempt.
 */
async function dropUnfinishedIndexes(client: pg.ClientBase, table: RollupTable): Promise<void> {
  const { rows } = await client.query<{ name: string }>(
    `WITH rel AS (
       SELECT oid FROM pg_class WHERE oid = $1::regclass
       UNION ALL SELECT reltoastrelid FROM pg_class WHERE oid = $1::regclass AND reltoastrelid <> 0
     )
     SELECT i.indexrelid::regclass::text AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      WHERE i.indrelid IN (SELECT oid FROM rel) AND NOT i.indisvalid AND c.relname ~ '_ccnew[0-9]*$'
        AND NOT EXISTS (SELECT 1 FROM pg_stat_progress_create_index p WHERE p.relid IN (SELECT oid FROM rel))`,
    [table],
  );
  for (const { name } of rows) {
    await client.query(`DROP INDEX CONCURRENTLY IF EXISTS ${name}`).catch((error) => {
      if (!isLockTimeout(error)) throw error;
    });
  }
}

/** The bytes of a table's indexes, their number and the table's live rows (statistics). */
export async function indexSize(db: pg.Pool | pg.ClientBase, table: RollupTable) {
  const { rows } = await db.query<{ bytes: string; indexes: number; rows: string }>(
    `SELECT COALESCE(sum(pg_relation_size(i.indexrelid)), 0)::int8 AS bytes, count(*)::int AS indexes,
            (SELECT n_live_tup FROM pg_stat_user_tables WHERE relid = $1::regclass)::int8 AS rows
       FROM pg_index i WHERE i.indrelid = $1::regclass`,
    [table],
  );
  return { bytes: Number(rows[0].bytes), indexes: rows[0].indexes, rows: Number(rows[0].rows ?? 0) };
}
