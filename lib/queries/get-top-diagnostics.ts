import type { Counts } from '../acct/types.ts';
import { type Filters, ParamError } from '../filters.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { addCount, emptyCounts, totalOf } from './counts.ts';
import { getReasons } from './get-reasons.ts';
import { checkInsightFilters } from './insight-query.ts';
import { getRawKeptFrom } from './query-counts.ts';
import { rawFilterConditions, readRawRows } from './raw-filters.ts';

/** Record types whose diagnostic explains a failure or a delay. */
export const DIAGNOSED_TYPES = ['b', 't', 'tq', 'rb'] as const;

export interface DiagnosticRow {
  /** The diagnostic's template key (acct_record.diag_key; '' for records without a diagnostic). */
  key: string;
  /** The template: the diagnostic with its varying parts (ids, addresses, IPs, times) masked. */
  template: string;
  /**
   * One diagnostic text under this template, as PowerMTA wrote it: one of the slice's records, or
   * where getReasons cannot give one (raw records not kept, past its lookup bounds) the template's
   * first (of any slice).
   */
  sample: string;
  /** Whose line `sample` is: one of the slice's records ('slice'), or the template's first of any ('any'). */
  sampleOf: 'slice' | 'any';
  counts: Counts;
  total: number;
  firstSeen: string;
  lastSeen: string;
}

/**
 * The most frequent diagnostics of bounces and deferrals in a slice, grouped by their template
 * (the key the ingest writes with each record, as on the reasons screen): Gmail and Microsoft put a
 * message id in every diagnostic, so grouped by exact text the panel listed ten copies of one
 * deferral, each counted once. Exact counts per record type.
 *
 * Read from the insight rollups (getReasons) when the slice is one they carry (provider, domain,
 * VirtualMTA and pool filters, whole-minute bounds): an aggregate over raw rows grows with the
 * traffic (a day of a large sender's gmail.com is millions of rows) and ends where raw rows are no
 * longer kept. First and last seen are then the start of their first and last rollup bucket (a
 * minute; an hour on ranges over a day). Other slices (a sending IP, a job, a bounce category, a
 * source host) are read from the raw records of the window (topDiagnosticsFromRaw), counted from
 * `from`: the window's start, or where raw records are kept when the window starts before.
 */
export async function getTopDiagnostics(
  filters: Filters,
  limit: number,
): Promise<{ rows: DiagnosticRow[]; from: Date }> {
  try {
    checkInsightFilters(filters);
  } catch (error) {
    if (error instanceof ParamError) return topDiagnosticsFromRaw(filters, limit);
    throw error;
  }
  const { rows } = await getReasons(filters, { limit });
  return {
    from: filters.from,
    rows: rows.map((r) => ({
      key: r.key,
      template: r.template,
      sample: r.sample,
      sampleOf: r.sampleOf,
      counts: { ...emptyCounts(), ...r.counts },
      total: r.total,
      firstSeen: r.firstSeen,
      lastSeen: r.lastSeen,
    })),
  };
}

/**
 * getTopDiagnostics from the raw records of the window, in one snapshot with a provider's domains
 * (see readRawRows); first and last seen to the second. Raw records older than the retention
 * (RAW_RETENTION_DAYS) are gone: the counts then start where they are kept, and `from` says where
 * (a job's page over a window reaching before it counted 39 deferrals of a reason that had 71,
 * beside rollup counts of the whole window, and said nothing, QA).
 */
async function topDiagnosticsFromRaw(window: Filters, limit: number) {
  const keptFrom = await getRawKeptFrom();
  // A window wholly before the records kept counts none of them, from where they are kept.
  if (keptFrom >= window.to.getTime()) return { rows: [], from: new Date(keptFrom) };
  const filters = window.from.getTime() < keptFrom ? { ...window, from: new Date(keptFrom) } : window;
  const rows = await readRawRows(filters, async (db) => {
    const where = await rawFilterConditions(filters, db);
    where.push(Prisma.sql`r.type = ANY(${[...DIAGNOSED_TYPES]}::text[])`);
    return db.$queryRaw<
      {
        key: string;
        type: string;
        n: bigint;
        first: Date;
        last: Date;
        sample: string | null;
        template: string | null;
      }[]
    >(
      Prisma.sql`
    WITH g AS (
      SELECT COALESCE(r.diag_key, '') AS key, r.type, count(*)::int8 AS n,
             min(r.time_logged) AS first, max(r.time_logged) AS last, max(r.dsn_diag) AS sample
        FROM acct_record r WHERE ${Prisma.join(where, ' AND ')}
       GROUP BY 1, 2),
    t AS (SELECT key, sum(n)::int8 AS total FROM g GROUP BY key ORDER BY total DESC, key LIMIT ${limit})
    SELECT g.*, d.template FROM g JOIN t USING (key) LEFT JOIN diag_template d ON d.key = g.key
     ORDER BY t.total DESC, g.key`,
    );
  });
  const byKey = new Map<string, DiagnosticRow>();
  for (const r of rows) {
    let row = byKey.get(r.key);
    if (!row) {
      // Every record under a key has a diagnostic (the ingest keys only those), so any of the
      // key's groups gives a sample; records without one are key '' and have none.
      const sample = r.sample ?? '';
      row = {
        key: r.key,
        template: r.template ?? sample,
        sample,
        sampleOf: 'slice',
        counts: emptyCounts(),
        total: 0,
        firstSeen: '',
        lastSeen: '',
      };
      byKey.set(r.key, row);
    }
    addCount(row.counts, r.type, r.n);
    const first = r.first.toISOString();
    const last = r.last.toISOString();
    if (!row.firstSeen || first < row.firstSeen) row.firstSeen = first;
    if (last > row.lastSeen) row.lastSeen = last;
  }
  const out = [...byKey.values()];
  for (const row of out) row.total = totalOf(row.counts);
  return { rows: out, from: filters.from };
}
