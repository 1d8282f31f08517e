import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DimResolver } from '../../ingest/dims.ts';
import { DIM_SEP, INSIGHT_COLUMNS } from '../../ingest/insights.ts';
import { closePool, createTestDatabase, type TestDatabase } from '../db.ts';

// DimResolver sends tuples joined with DIM_SEP in one text array; PostgreSQL splits them and
// joins each returned row back. Values that a text array or a split could mangle must come back
// as they were, in their own columns.

let db: TestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  db = await createTestDatabase();
  pool = new pg.Pool({ connectionString: db.url, max: 1 });
});

afterAll(async () => {
  if (pool) await closePool(pool);
  await db?.drop();
});

const tricky = [
  '',
  ' lead',
  'trail ',
  'a,b',
  '{x}',
  'q"uote',
  'back\\slash',
  'NULL',
  'bücher.de',
  '日本.jp',
  'tab\there',
];

describe('DimResolver on PostgreSQL', () => {
  it('stores every value in its own column and returns the same id for the same tuple', async () => {
    const resolver = new DimResolver();
    const tuples = tricky.map((v, i) => ['d', 'mta', v, 'Other', `vmta${i}`, v, '203.0.113.9', v, '']);
    const keys = tuples.map((t) => t.join(DIM_SEP));
    const ids = await resolver.resolveJoined(pool, keys);
    expect(new Set(ids).size).toBe(tuples.length);

    const rows = await db.query<Record<string, string | number>>(
      'SELECT * FROM acct_dim WHERE id = ANY($1::int[])',
      [Array.from(ids)],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    tuples.forEach((t, i) => {
      const r = byId.get(ids[i]);
      expect([
        r?.type,
        r?.source,
        r?.rcpt_domain,
        r?.provider,
        r?.vmta,
        r?.vmta_pool,
        r?.source_ip,
        r?.job_id,
        r?.bounce_cat,
      ]).toEqual(t);
    });

    // Known tuples (and a new one among them) resolve to the ids they have, in the order asked.
    const again = await resolver.resolveJoined(pool, [
      keys[3],
      ['t', 'mta', 'x', 'Other', '', '', '', '', ''].join(DIM_SEP),
      keys[0],
    ]);
    expect([again[0], again[2]]).toEqual([ids[3], ids[0]]);
    expect(again[1]).not.toBe(0);
  });

  it('resolves insight tuples the same way', async () => {
    const resolver = new DimResolver('insight_dim', INSIGHT_COLUMNS);
    const keys = tricky.map((v) => ['reason', 'b', 'Other', v, 'vmta1', v, '', v].join(DIM_SEP));
    const ids = await resolver.resolveJoined(pool, keys);
    expect(new Set(ids).size).toBe(keys.length);
    for (const v of ['{x}', 'q"uote', '']) {
      const [r] = await db.query('SELECT * FROM insight_dim WHERE id = $1', [ids[tricky.indexOf(v)]]);
      expect([r.kind, r.rcpt_domain, r.vmta_pool, r.queue, r.value]).toEqual(['reason', v, v, '', v]);
    }
  });
});
