import type pg from 'pg';

const DAY = 86_400_000;

/** Creates the day partitions a batch needs (also for old, backfilled dates), once per process. */
export class PartitionKeeper {
  private readonly known = new Set<number>();

  /** `days`: day numbers since the epoch (UTC). */
  async ensureDays(pool: pg.Pool, days: Iterable<number>): Promise<void> {
    for (const day of days) {
      if (this.known.has(day)) continue;
      const date = new Date(day * DAY).toISOString().slice(0, 10);
      try {
        await pool.query('SELECT acctscope_ensure_partition($1::date)', [date]);
      } catch (error) {
        // Two workers may race to create the same partition; the loser finds it there.
        const code = (error as { code?: string }).code;
        if (code !== '42P07' && code !== '23505') throw error;
      }
      this.known.add(day);
    }
  }

  /** Drops day partitions entirely older than `days` days (raw retention; rollups are kept). */
  async dropOlderThan(pool: pg.Pool, days: number): Promise<string[]> {
    const cutoff = new Date(Date.now() - days * DAY).toISOString().slice(0, 10).replaceAll('-', '');
    const { rows } = await pool.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'acct_record'::regclass AND c.relname ~ '^acct_record_p[0-9]{8}$'`,
    );
    const dropped: string[] = [];
    for (const { name } of rows) {
      if (name.slice('acct_record_p'.length) < cutoff) {
        await pool.query(`DROP TABLE IF EXISTS "${name}"`);
        dropped.push(name);
      }
    }
    this.known.clear();
    return dropped;
  }
}
