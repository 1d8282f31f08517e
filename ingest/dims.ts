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
 * The worker's copy of a dictionary table (acct_dim, insight_dim): dimension tuple → id. New tuples
 * are inserted outside the batch transaction (a dictionary entry without counts is harmless if the
 * batch then fails), so ids in the cache always exist in the database.
 */
export class DimCache {
  private readonly ids = new Map<string, number>();

  constructor(
    private readonly table: 'acct_dim' | 'insight_dim' = 'acct_dim',
    private readonly columns: readonly string[] = DIM_COLUMNS,
  ) {}

  /** Ids of the given tuples (in the table's column order), inserting the ones not seen yet. */
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

  /** Ids of tuples given joined with DIM_SEP (see InsightChunk.dims). */
  async resolveJoined(pool: pg.Pool, keys: string[]): Promise<Int32Array> {
    const out = new Int32Array(keys.length);
    const missing: string[][] = [];
    for (let i = 0; i < keys.length; i++) {
      const id = this.ids.get(keys[i]);
      if (id === undefined) missing.push(keys[i].split(SEP));
      else out[i] = id;
    }
    if (missing.length > 0) {
      await this.insert(pool, missing);
      for (let i = 0; i < keys.length; i++) if (out[i] === 0) out[i] = this.ids.get(keys[i])!;
    }
    return out;
  }

  private async insert(pool: pg.Pool, rows: string[][]): Promise<void> {
    // Sorted so that concurrent workers lock new dictionary rows in the same order.
    rows.sort((a, b) => (a.join(SEP) < b.join(SEP) ? -1 : 1));
    const names = this.columns;
    const columns = names.map((_, c) => rows.map((r) => r[c]));
    const params = names.map((_, i) => `$${i + 1}::text[]`).join(', ');
    // DO UPDATE (a no-op) rather than DO NOTHING so RETURNING also yields rows that already existed.
    const { rows: found } = await pool.query<{ id: number } & Record<string, string>>(
      `INSERT INTO ${this.table} (${names.join(', ')}) SELECT * FROM unnest(${params})
       ON CONFLICT (${names.join(', ')}) DO UPDATE SET ${names[0]} = excluded.${names[0]}
       RETURNING id, ${names.join(', ')}`,
      columns,
    );
    for (const f of found) this.ids.set(names.map((c) => f[c]).join(SEP), f.id);
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
