import type pg from 'pg';

const SEP = '\u0001';
const DIM_COLUMNS = [
  'type',
  'source',
  'rcpt_domain',
  'provider',
  'vmta',
  'vmta_pool',
  'source_ip',
  'job_id',
  'bounce_cat',
];

/**
 * The worker's copy of acct_dim: dimension tuple → id. New tuples are inserted outside the batch
 * transaction (a dictionary entry without counts is harmless if the batch then fails), so ids in
 * the cache always exist in the database.
 */
export class DimCache {
  private readonly ids = new Map<string, number>();

  /** Ids of the given tuples (in DIM_COLUMNS order), inserting the ones not seen yet. */
  async resolve(pool: pg.Pool, tuples: string[][]): Promise<Int32Array> {
    const out = new Int32Array(tuples.length);
    const keys = tuples.map((t) => t.join(SEP));
    const missing: string[][] = [];
    for (let i = 0; i < tuples.length; i++) {
      const id = this.ids.get(keys[i]);
      if (id === undefined) missing.push(tuples[i]);
      else out[i] = id;
    }
    if (missing.length > 0) {
      await this.insert(pool, missing);
      for (let i = 0; i < tuples.length; i++) if (out[i] === 0) out[i] = this.ids.get(keys[i])!;
    }
    return out;
  }

  private async insert(pool: pg.Pool, rows: string[][]): Promise<void> {
    // Sorted so that concurrent workers lock new dictionary rows in the same order.
    rows.sort((a, b) => (a.join(SEP) < b.join(SEP) ? -1 : 1));
    const columns = DIM_COLUMNS.map((_, c) => rows.map((r) => r[c]));
    const params = DIM_COLUMNS.map((_, i) => `$${i + 1}::text[]`).join(', ');
    // DO UPDATE (a no-op) rather than DO NOTHING so RETURNING also yields rows that already existed.
    const { rows: found } = await pool.query<{ id: number } & Record<string, string>>(
      `INSERT INTO acct_dim (${DIM_COLUMNS.join(', ')}) SELECT * FROM unnest(${params})
       ON CONFLICT (${DIM_COLUMNS.join(', ')}) DO UPDATE SET type = excluded.type
       RETURNING id, ${DIM_COLUMNS.join(', ')}`,
      columns,
    );
    for (const f of found) this.ids.set(DIM_COLUMNS.map((c) => f[c]).join(SEP), f.id);
  }
}
