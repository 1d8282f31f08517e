import type pg from 'pg';
import { firstDayKept } from '../lib/raw-retention.ts';

const DAY = 86_400_000;
/** How long a reader may take from reading raw_retention to running its query (see dropOlderThan). */
const RETENTION_GRACE_MS = 2000;

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

  /**
   * Forgets that these days' partitions exist: another worker sharing the database dropped one
   * (its raw retention), and the rows of a batch found no partition (see isMissingPartition).
   */
  forget(days: Iterable<number>): void {
    for (const day of days) this.known.delete(day);
  }

  /**
   * Drops day partitions entirely older than `days` days (raw retention; rollups are kept). First
   * publishes the start of the first day it keeps (raw_retention, only ever moved forward): stats
   * queries read the edge minutes of older ranges from the star rollups, whatever retention the
   * app was given. Readers keep a day of margin; when the published day moves by more than that
   * (a first pass, a shorter retention), it waits `graceMs` before dropping, so that a query built
   * with the previous value has run.
   */
  async dropOlderThan(pool: pg.Pool, days: number, graceMs = RETENTION_GRACE_MS): Promise<string[]> {
    const keptFrom = firstDayKept(days);
    const cutoff = new Date(keptFrom).toISOString().slice(0, 10).replaceAll('-', '');
    const { rows } = await pool.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'acct_record'::regclass AND c.relname ~ '^acct_record_p[0-9]{8}$'`,
    );
    const old = rows.map((r) => r.name).filter((name) => name.slice('acct_record_p'.length) < cutoff);
    const published = await pool.query<{ before: Date | null }>(
      `WITH before AS (SELECT kept_from FROM raw_retention)
       INSERT INTO raw_retention (kept_from) VALUES ($1)
           ON CONFLICT (id) DO UPDATE SET kept_from = GREATEST(raw_retention.kept_from, EXCLUDED.kept_from)
       RETURNING (SELECT kept_from FROM before) AS before`,
      [new Date(keptFrom)],
    );
    const before = published.rows[0].before?.getTime() ?? Number.NEGATIVE_INFINITY;
    if (old.length > 0 && keptFrom - before > DAY) await new Promise((r) => setTimeout(r, graceMs));
    const dropped: string[] = [];
    for (const name of old) {
      await pool.query(`DROP TABLE IF EXISTS "${name}"`);
      dropped.push(name);
    }
    this.known.clear();
    return dropped;
  }
}
