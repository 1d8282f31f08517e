import type { Counts } from '../acct/types.ts';
import type { Filters } from '../filters.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { addCount, emptyCounts, totalOf } from './counts.ts';
import { rawFilterConditions, readRawRows } from './raw-filters.ts';

/** Record types whose diagnostic explains a failure or a delay. */
export const DIAGNOSED_TYPES = ['b', 't', 'tq', 'rb'] as const;

export interface DiagnosticRow {
  diag: string;
  counts: Counts;
  total: number;
  firstSeen: string;
  lastSeen: string;
}

/**
 * The most frequent diagnostic texts (dsnDiag) of bounces and deferrals in a slice, exact counts
 * per record type, read from the raw records of the window (in one snapshot with a provider's
 * domains, see readRawRows).
 */
export async function getTopDiagnostics(filters: Filters, limit: number) {
  const rows = await readRawRows(filters, async (db) => {
    const where = await rawFilterConditions(filters, db);
    where.push(Prisma.sql`r.type = ANY(${[...DIAGNOSED_TYPES]}::text[])`);
    return db.$queryRaw<{ diag: string; type: string; n: bigint; first: Date; last: Date; total: bigint }[]>(
      Prisma.sql`
    WITH g AS (
      SELECT COALESCE(r.dsn_diag, '') AS diag, r.type, count(*)::int8 AS n,
             min(r.time_logged) AS first, max(r.time_logged) AS last
        FROM acct_record r WHERE ${Prisma.join(where, ' AND ')}
       GROUP BY 1, 2),
    t AS (SELECT diag, sum(n)::int8 AS total FROM g GROUP BY diag ORDER BY total DESC, diag LIMIT ${limit})
    SELECT g.*, t.total FROM g JOIN t USING (diag) ORDER BY t.total DESC, g.diag`,
    );
  });
  const byDiag = new Map<string, DiagnosticRow>();
  for (const r of rows) {
    let row = byDiag.get(r.diag);
    if (!row) {
      row = { diag: r.diag, counts: emptyCounts(), total: 0, firstSeen: '', lastSeen: '' };
      byDiag.set(r.diag, row);
    }
    addCount(row.counts, r.type, r.n);
    const first = r.first.toISOString();
    const last = r.last.toISOString();
    if (!row.firstSeen || first < row.firstSeen) row.firstSeen = first;
    if (last > row.lastSeen) row.lastSeen = last;
  }
  const out = [...byDiag.values()];
  for (const row of out) row.total = totalOf(row.counts);
  return { rows: out };
}
