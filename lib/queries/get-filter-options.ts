import { getPrisma } from '../db/client.ts';
import { SLICE_KIND } from '../db/slice-kinds.ts';
import { type Filters, windowOnly } from '../filters.ts';
import { getBreakdown } from './get-breakdown.ts';

export type FilterOptionName = 'provider' | 'domain' | 'vmta' | 'pool' | 'sourceIp' | 'job' | 'source';

const MAX_OPTIONS = 500;

/** The slice rollup kind holding each option's values. */
const KIND_OF: Record<Exclude<FilterOptionName, 'domain'>, number> = {
  provider: SLICE_KIND.provider,
  vmta: SLICE_KIND.vmta,
  pool: SLICE_KIND.pool,
  sourceIp: SLICE_KIND.sourceIp,
  job: SLICE_KIND.job,
  source: SLICE_KIND.source,
};

/**
 * Values the filter bar offers. Every dimension but the recipient domain is small: its values
 * are every value ever counted (the keys of the day slice rollups), not a scan of the range.
 * Domains are many: the 50 largest in the range. The API takes any value either way.
 */
export async function getFilterOptions(
  filters: Filters,
  /** How the range's largest domains are read (a page passes its request-shared read). */
  breakdown: typeof getBreakdown = getBreakdown,
): Promise<Record<FilterOptionName, string[]>> {
  const unfiltered = windowOnly(filters.from, filters.to);

  const [domains, rows] = await Promise.all([
    breakdown(unfiltered, 'domain', 50),
    // A skip scan of the day slice rollups' (kind, key) index: one probe per value instead of
    // DISTINCT over the whole dimension dictionary (6 ms against 255 ms on 10M records).
    getPrisma().$queryRaw<{ kind: number; key: string }[]>`
      WITH RECURSIVE v(kind, key, i) AS (
        SELECT s.kind, s.key, 1 FROM unnest(${Object.values(KIND_OF)}::int[]) k(kind),
          LATERAL (SELECT r.kind, r.key FROM rollup_slice_day r
                    WHERE r.kind = k.kind AND r.key > '' ORDER BY r.key LIMIT 1) s
        UNION ALL
        SELECT s.kind, s.key, v.i + 1 FROM v,
          LATERAL (SELECT r.kind, r.key FROM rollup_slice_day r
                    WHERE r.kind = v.kind AND r.key > v.key ORDER BY r.key LIMIT 1) s
         WHERE v.i < ${MAX_OPTIONS}
      )
      SELECT kind, key FROM v`,
  ]);
  const out: Record<FilterOptionName, string[]> = {
    provider: [],
    domain: domains.rows
      .map((r) => r.key)
      .filter(Boolean)
      .sort(),
    vmta: [],
    pool: [],
    sourceIp: [],
    job: [],
    source: [],
  };
  const nameOf = new Map(Object.entries(KIND_OF).map(([name, kind]) => [kind, name as FilterOptionName]));
  for (const r of rows) out[nameOf.get(r.kind)!].push(r.key);
  for (const k of Object.keys(out) as FilterOptionName[]) out[k].sort();
  return out;
}
