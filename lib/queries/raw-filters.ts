import type { Filters } from '../filters.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { IP_VMTA_SELECT } from './count-query.ts';

const text = (col: string, values: string[]) =>
  Prisma.sql`COALESCE(${Prisma.raw(col)}, '') = ANY(${values}::text[])`;

/**
 * The stats filters as conditions on raw rows `r` (acct_record): the window and every dimension,
 * with complaints matched to a VirtualMTA or pool through their sending IP exactly as the stats
 * attribute them (count-query.ts), so a list of records always adds up to the count it explains.
 */
export function rawFilterConditions(f: Filters): Prisma.Sql[] {
  const where: Prisma.Sql[] = [Prisma.sql`r.time_logged >= ${f.from} AND r.time_logged < ${f.to}`];
  if (f.domain.length) where.push(Prisma.sql`r.rcpt_domain = ANY(${f.domain}::text[])`);
  if (f.provider.length) {
    where.push(Prisma.sql`r.provider = ANY(${f.provider}::text[])`);
    // Raw rows have no provider index: the same rows, found through the recipient-domain index by
    // the domains the provider has in acct_dim (every raw row's domain and provider are one of its
    // tuples). PostgreSQL takes that index for a provider with few rows, the time index otherwise.
    where.push(Prisma.sql`r.rcpt_domain IN (SELECT d.rcpt_domain FROM acct_dim d WHERE d.provider = ANY(${f.provider}::text[]))`);
  }
  if (f.sourceIp.length) where.push(text('r.dlv_source_ip', f.sourceIp));
  if (f.job.length) where.push(text('r.job_id', f.job));
  if (f.bounceCategory.length) where.push(text('r.bounce_cat', f.bounceCategory));
  if (f.source.length) where.push(Prisma.sql`r.source = ANY(${f.source}::text[])`);
  for (const [values, column] of [
    [f.vmta, 'vmta'],
    [f.pool, 'vmta_pool'],
  ] as const) {
    if (!values.length) continue;
    const col = Prisma.raw(column);
    where.push(Prisma.sql`(CASE WHEN r.type = 'f'
      THEN r.dlv_source_ip IN (SELECT source_ip FROM (${IP_VMTA_SELECT}) m WHERE m.${col} = ANY(${values}::text[]))
      ELSE COALESCE(r.${col}, '') = ANY(${values}::text[]) END)`);
  }
  return where;
}
