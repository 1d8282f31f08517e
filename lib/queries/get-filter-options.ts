import { getPrisma } from '../db/client.ts';
import { type Filters, windowOnly } from '../filters.ts';
import { getBreakdown } from './get-breakdown.ts';

export type FilterOptionName = 'provider' | 'domain' | 'vmta' | 'pool' | 'sourceIp' | 'job' | 'source';

const MAX_OPTIONS = 500;

/**
 * Values the filter bar offers. Every dimension but the recipient domain is small: its values
 * come from the dimension dictionary (every value ever seen, cheap), not from a scan of the range.
 * Domains are many: the 50 largest in the range. The API takes any value either way.
 */
export async function getFilterOptions(filters: Filters): Promise<Record<FilterOptionName, string[]>> {
  const unfiltered = windowOnly(filters.from, filters.to);

  const [domains, rows] = await Promise.all([
    getBreakdown(unfiltered, 'domain', 50),
    getPrisma().$queryRaw<{ f: FilterOptionName; v: string }[]>`
      SELECT f, v FROM (
        SELECT f, v, row_number() OVER (PARTITION BY f ORDER BY v) AS i FROM (
          SELECT DISTINCT 'provider' AS f, provider AS v FROM acct_dim
          UNION ALL SELECT DISTINCT 'vmta', vmta FROM acct_dim
          UNION ALL SELECT DISTINCT 'pool', vmta_pool FROM acct_dim
          UNION ALL SELECT DISTINCT 'sourceIp', source_ip FROM acct_dim
          UNION ALL SELECT DISTINCT 'job', job_id FROM acct_dim
          UNION ALL SELECT DISTINCT 'source', source FROM acct_dim) a
         WHERE v <> '') b
       WHERE i <= ${MAX_OPTIONS}`,
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
  for (const r of rows) out[r.f].push(r.v);
  for (const k of Object.keys(out) as FilterOptionName[]) out[k].sort();
  return out;
}
