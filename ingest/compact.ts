import type pg from 'pg';

export const ROLLUP_TABLES = [
  'rollup_minute',
  'rollup_hour',
  'rollup_insight_minute',
  'rollup_insight_hour',
] as const;
export type RollupTable = (typeof ROLLUP_TABLES)[number];

/**
 * Folds the rows of every (bucket, dim) that gathered more than one row since `since` into one.
 * One statement: the DELETE and the INSERT of the sums commit together, so a reader sees either
 * the many rows or the one, with the same SUM(n). Rows appended meanwhile by a writer are not in
 * this statement's snapshot and stay as they are.
 */
export async function compactRollups(pool: pg.Pool, table: RollupTable, since: Date): Promise<number> {
  // The name is spliced into the statement: only ever one of the fixed list.
  const name = ROLLUP_TABLES.find((t) => t === table);
  if (!name) throw new Error(`not a rollup table: ${table}`);
  const { rowCount } = await pool.query(
    `WITH dup AS (
       SELECT bucket, dim_id FROM ${name} WHERE bucket >= $1 GROUP BY 1, 2 HAVING count(*) > 1
     ), moved AS (
       DELETE FROM ${name} r USING dup WHERE r.bucket = dup.bucket AND r.dim_id = dup.dim_id
       RETURNING r.bucket, r.dim_id, r.n
     ), k AS (SELECT -nextval('rollup_compaction_seq') AS batch_offset)
     INSERT INTO ${name} (bucket, dim_id, file_id, batch_offset, n)
     SELECT m.bucket, m.dim_id, 0, k.batch_offset, SUM(m.n) FROM moved m, k GROUP BY m.bucket, m.dim_id, k.batch_offset`,
    [since],
  );
  return rowCount ?? 0;
}
