import type pg from 'pg';
import type { AcctRecord } from '../lib/acct/types.ts';

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

function dimValues(r: AcctRecord, source: string): string[] {
  return [
    r.type,
    source,
    r.rcptDomain,
    r.provider,
    r.vmta ?? '',
    r.vmtaPool ?? '',
    r.dlvSourceIp ?? '',
    r.jobId ?? '',
    r.bounceCat ?? '',
  ];
}

/**
 * The worker's copy of acct_dim: dimension combination → id. New combinations are inserted
 * outside the batch transaction (a dictionary entry without counts is harmless if the batch
 * then fails), so ids in the cache always exist in the database.
 */
export class DimCache {
  private readonly ids = new Map<string, number>();

  async resolve(pool: pg.Pool, records: AcctRecord[], source: string): Promise<Int32Array> {
    const out = new Int32Array(records.length);
    const missing = new Map<string, string[]>();
    const keys: string[] = new Array(records.length);
    for (let i = 0; i < records.length; i++) {
      const r = records[i];
      const key = `${r.type}${SEP}${source}${SEP}${r.rcptDomain}${SEP}${r.provider}${SEP}${r.vmta ?? ''}${SEP}${
        r.vmtaPool ?? ''
      }${SEP}${r.dlvSourceIp ?? ''}${SEP}${r.jobId ?? ''}${SEP}${r.bounceCat ?? ''}`;
      keys[i] = key;
      const id = this.ids.get(key);
      if (id === undefined) {
        if (!missing.has(key)) missing.set(key, dimValues(r, source));
      } else out[i] = id;
    }
    if (missing.size > 0) {
      await this.insert(pool, [...missing.values()]);
      for (let i = 0; i < records.length; i++) if (out[i] === 0) out[i] = this.ids.get(keys[i])!;
    }
    return out;
  }

  private async insert(pool: pg.Pool, rows: string[][]): Promise<void> {
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
