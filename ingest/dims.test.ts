import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { DimResolver } from './dims.ts';
import { DIM_SEP } from './insights.ts';

const COLUMNS = ['a', 'b'];

/**
 * A pool whose INSERT … RETURNING gives each distinct tuple (sent joined, in one array) an id from
 * `table` (new ones get the next), and returns it with the tuple joined back, as concat_ws does.
 */
function fakePool(table: Map<string, number>, drop?: string) {
  const calls: string[][][] = [];
  const pool = {
    async query(_sql: string, params: string[][]) {
      calls.push(params);
      const rows: { id: number; k: string }[] = [];
      for (const key of params[0]) {
        if (!table.has(key)) table.set(key, table.size + 1);
        if (key !== drop) rows.push({ id: table.get(key) as number, k: key });
      }
      return { rows: rows.reverse() }; // RETURNING's order is not the input's
    },
  };
  return { pool: pool as unknown as pg.Pool, calls };
}

const key = (...t: string[]) => t.join(DIM_SEP);

describe('DimResolver', () => {
  it('returns each key its id, in the order asked, sending each distinct tuple once in sorted order', async () => {
    const table = new Map([[key('x', '1'), 7]]);
    const { pool, calls } = fakePool(table);
    const ids = await new DimResolver('acct_dim', COLUMNS).resolveJoined(pool, [
      key('y', '2'),
      key('x', '1'),
      key('y', '2'),
      key('a', ''),
    ]);
    expect([...ids]).toEqual([3, 7, 3, 2]); // new tuples numbered in the sorted order sent
    expect(calls).toEqual([[[key('a', ''), key('x', '1'), key('y', '2')]]]);
  });

  it('makes no query for no keys', async () => {
    const { pool, calls } = fakePool(new Map());
    expect([...(await new DimResolver('acct_dim', COLUMNS).resolveJoined(pool, []))]).toEqual([]);
    expect(calls).toEqual([]);
  });

  it('fails instead of returning id 0 when the database returns no row for a tuple', async () => {
    const { pool } = fakePool(new Map(), key('b', '2'));
    await expect(
      new DimResolver('acct_dim', COLUMNS).resolveJoined(pool, [key('a', '1'), key('b', '2')]),
    ).rejects.toThrow(/no id returned/);
  });

  it('refuses a key with the wrong number of fields', async () => {
    const { pool } = fakePool(new Map());
    await expect(new DimResolver('acct_dim', COLUMNS).resolveJoined(pool, ['only-one'])).rejects.toThrow(
      /1 fields, expected 2/,
    );
  });
});
