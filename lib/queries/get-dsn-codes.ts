import type { Filters } from '../filters.ts';
import { queryInsights } from './query-insights.ts';

export interface DsnCodeRow {
  /** The enhanced status code (X.Y.Z) at the start of dsnStatus; '' for records without one. */
  code: string;
  counts: { bounced: number; remoteBounced: number; deferred: number };
  total: number;
}

const KEYS = { b: 'bounced', rb: 'remoteBounced', t: 'deferred' } as const;

/**
 * Bounces (b), remote bounces (rb) and deferrals (t) per DSN status code in a slice, largest
 * first, from the insight rollups (`totalRows`: the codes before `limit`). The class (first digit) tells permanent (5) from transient (4).
 */
export async function getDsnCodes(
  filters: Filters,
  limit: number,
): Promise<{ rows: DsnCodeRow[]; totalRows: number }> {
  const rows = await queryInsights(filters, { kind: 'dsn', allowHourRollups: true });
  const byCode = new Map<string, DsnCodeRow>();
  for (const r of rows) {
    const key = KEYS[r.type as keyof typeof KEYS];
    if (!key) continue;
    let row = byCode.get(r.value);
    if (!row) {
      row = { code: r.value, counts: { bounced: 0, remoteBounced: 0, deferred: 0 }, total: 0 };
      byCode.set(r.value, row);
    }
    row.counts[key] += Number(r.n);
    row.total += Number(r.n);
  }
  const out = [...byCode.values()];
  out.sort((a, b) => b.total - a.total || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  return { rows: out.slice(0, limit), totalRows: out.length };
}
