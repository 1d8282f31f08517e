import type pg from 'pg';
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
} as const;
export type RollupTable = keyof typeof KEYS;
export const ROLLUP_TABLES = Object.keys(KEYS) as RollupTable[];

/**
 * Folds the rows of every key (bucket, dim / slice) that gathered more than one row since `since`
 * into one. One statement: the DELETE and the INSERT of the sums commit together, so a reader sees
 * either the many rows or the one, with the same SUM(n). Rows appended meanwhile by a writer are
 * not in this statement's snapshot and stay as they are. Day rows are matched from the start of
 * the UTC day holding `since`. Returns the number of rows removed (folded away).
 */
export async function compactRollups(pool: pg.Pool, table: RollupTable, since: Date): Promise<number> {
  // The names are spliced into the statement: only ever those of the fixed list.
  const key = KEYS[table];
  if (!key) throw new Error(`not a rollup table: ${table}`);
  const cols = key.join(', ');
  const from = table === 'rollup_slice_day' ? "date_trunc('day', $1::timestamptz, 'UTC')" : '$1';
  // Slice tables lead their key with `kind`: naming every kind lets the range use the index.
  const kinds =
    key[0] === 'kind' ? `kind = ANY('{${[...Array(SLICE_KIND_COUNT).keys()].join(',')}}') AND ` : '';
  const { rows } = await pool.query<{ removed: string }>(
    `WITH dup AS (
       SELECT ${cols} FROM ${table} WHERE ${kinds}bucket >= ${from} GROUP BY ${cols} HAVING count(*) > 1
     ), moved AS (
       DELETE FROM ${table} r USING dup WHERE ${key.map((c) => `r.${c} = dup.${c}`).join(' AND ')}
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
  return Number(rows[0].removed);
}

/**
 * Rebuilds the indexes of the slice rollups once compaction has removed as many rows from a table
 * as it holds. Folding leaves B-tree pages mostly empty (a backfill writes a day's key once per
 * batch, then keeps one row of ~25); reads of long ranges then touch pages for a few entries each —
 * a cold 90-day breakdown by VirtualMTA read 2,500 index pages for 15,000 rows (670 ms; 37 ms
 * rebuilt). REINDEX CONCURRENTLY neither blocks the ingest nor readers.
 */
export class IndexKeeper {
  private readonly removed = new Map<RollupTable, number>();

  /** `minRows`: never rebuild for fewer removed rows than this (small tables are cheap to read). */
  constructor(private readonly minRows = 50_000) {}

  /** Notes rows folded away from a table; rebuilds its indexes when due (true if it did). */
  async afterCompaction(pool: pg.Pool, table: RollupTable, removed: number): Promise<boolean> {
    if (!table.startsWith('rollup_slice_')) return false;
    const total = (this.removed.get(table) ?? 0) + removed;
    this.removed.set(table, total);
    const { rows } = await pool.query<{ live: string }>(
      'SELECT GREATEST(reltuples, 0)::int8 AS live FROM pg_class WHERE oid = $1::regclass',
      [table],
    );
    if (total < Math.max(Number(rows[0]?.live ?? 0), this.minRows)) return false;
    this.removed.set(table, 0);
    await pool.query(`REINDEX TABLE CONCURRENTLY ${table}`);
    return true;
  }
}
