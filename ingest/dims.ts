import type pg from 'pg';
import { DIM_SEP, type TemplatesSeen } from './insights.ts';

const SEP = DIM_SEP;
export const DIM_COLUMNS = [
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
 * Resolves dimension tuples to their ids in a dictionary table (acct_dim, insight_dim), inserting
 * the new ones. New tuples are inserted outside the batch transaction (a dictionary entry without
 * counts is harmless if the batch then fails), so an id it returns always exists in the database.
 *
 * It keeps no copy of the table: the main thread's DictionaryMirror already maps each parsing
 * thread's tuple numbers to ids, so only tuples new to a thread's dictionary come here. (A
 * tuple → id map kept here grew with every tuple ever seen, without bound on a long-running
 * worker, and held ~29 MB of a 1M-record backfill's peak RSS.)
 */
export class DimResolver {
  constructor(
    private readonly table: 'acct_dim' | 'insight_dim' = 'acct_dim',
    private readonly columns: readonly string[] = DIM_COLUMNS,
  ) {}

  /** Ids of tuples given joined with DIM_SEP (see InsightChunk.dims), in the same order. */
  async resolveJoined(pool: pg.Pool, keys: string[]): Promise<Int32Array> {
    const out = new Int32Array(keys.length);
    if (keys.length === 0) return out;
    // Sorted so that concurrent workers lock new dictionary rows in the same order.
    const sorted = [...new Set(keys)].sort();
    const names = this.columns;
    for (const key of sorted) {
      let fields = 1;
      for (let at = key.indexOf(SEP); at >= 0; at = key.indexOf(SEP, at + 1)) fields++;
      if (fields !== names.length)
        throw new Error(`${this.table} tuple has ${fields} fields, expected ${names.length}`);
    }
    // The joined keys as one array, split by PostgreSQL, and each row's key joined back by it: nine
    // arrays of values sent as text (pg escapes and concatenates every element) and ten columns
    // parsed per returned row were ~30 % of the main thread's allocations on a backfill.
    // DO UPDATE (a no-op) rather than DO NOTHING so RETURNING also yields rows that already existed.
    // OFFSET 0 keeps the subquery from being pulled up, which split each key once per column: the
    // 44,098 acct_dim tuples of the benchmark's 1M records cost PostgreSQL 1.43 CPU-s without it,
    // 1.11 with it (inserted 100 at a time on an idle server).
    const { rows: found } = await pool.query<{ id: number; k: string }>(
      `INSERT INTO ${this.table} (${names.join(', ')})
       SELECT ${names.map((_, i) => `t[${i + 1}]`).join(', ')}
         FROM (SELECT string_to_array(k, chr(1)) AS t FROM unnest($1::text[]) AS k OFFSET 0) AS s
       ON CONFLICT (${names.join(', ')}) DO UPDATE SET ${names[0]} = excluded.${names[0]}
       RETURNING id, concat_ws(chr(1), ${names.join(', ')}) AS k`,
      [sorted],
    );
    const ids = new Map<string, number>();
    for (const f of found) ids.set(f.k, f.id);
    for (let i = 0; i < keys.length; i++) {
      const id = ids.get(keys[i]);
      if (id === undefined) throw new Error(`${this.table}: no id returned for ${keys[i]}`);
      out[i] = id;
    }
    return out;
  }
}

/**
 * Template keys known to be in diag_template. A batch inserts the templates it uses that are not
 * known yet (ON CONFLICT DO NOTHING, in its own transaction); they become known once it commits.
 */
export class KnownTemplates {
  private readonly keys = new Set<string>();

  /** The chunk's templates minus the known ones, sorted by key (concurrent workers lock alike). */
  missing(t: TemplatesSeen): TemplateRows {
    const order: number[] = [];
    for (let i = 0; i < t.key.length; i++) if (!this.keys.has(t.key[i])) order.push(i);
    order.sort((a, b) => (t.key[a] < t.key[b] ? -1 : 1));
    return {
      key: order.map((i) => t.key[i]),
      template: order.map((i) => t.template[i].replaceAll('\0', '')),
      sample: order.map((i) => t.sample[i].replaceAll('\0', '')),
      firstSeen: order.map((i) => new Date(t.firstSeen[i]).toISOString()),
    };
  }

  remember(rows: TemplateRows): void {
    if (this.keys.size > 1_000_000) this.keys.clear();
    for (const k of rows.key) this.keys.add(k);
  }
}

export interface TemplateRows {
  key: string[];
  template: string[];
  sample: string[];
  firstSeen: string[];
}
