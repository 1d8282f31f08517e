import { getPrisma } from '../db/client.ts';
import type { Filters } from '../filters.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { IP_VMTA_SELECT, RAW_VMTA } from './count-query.ts';

const text = (col: string, values: string[]) =>
  Prisma.sql`COALESCE(${Prisma.raw(col)}, '') = ANY(${values}::text[])`;

/** What reads raw rows: the app's client, or a transaction's (readRawRows). */
export type RawReader = Pick<Prisma.TransactionClient, '$queryRaw'>;

/**
 * Runs `read`, which reads raw rows filtered by `f`, with every statement in one snapshot where that
 * matters: a provider filter reads the provider's domains (acct_dim) before the raw rows, and in two
 * snapshots a record committed in between, of a domain new to the provider, was read without its
 * domain in the list and left out (a list short of the count it explains). In one REPEATABLE READ
 * transaction every raw row seen has its acct_dim tuple seen too: the tuple is committed before or
 * with the row. Without a provider filter no transaction is opened (it cost 2–4 ms per page warm).
 */
export function readRawRows<T>(f: Filters, read: (db: RawReader) => Promise<T>): Promise<T> {
  if (f.provider.length === 0) return read(getPrisma());
  return getPrisma().$transaction((tx) => read(tx), {
    isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead,
    // Prisma's default (5 s) would end a slow text search over months of records mid-read.
    timeout: 300_000,
  });
}

/** A provider with more domains than this is not looked up through the domain index. */
const MAX_PROVIDER_DOMAINS = 200;

/**
 * The recipient domains the providers have in acct_dim, or null when they have more than
 * MAX_PROVIDER_DOMAINS. Every raw row's (domain, provider) is one of acct_dim's tuples, written
 * before or with the row, so the provider's rows are among these domains' rows.
 */
async function providerDomains(db: RawReader, providers: string[]): Promise<string[] | null> {
  const rows = await db.$queryRaw<{ d: string }[]>`
    SELECT rcpt_domain AS d FROM acct_dim WHERE provider = ANY(${providers}::text[])
     GROUP BY rcpt_domain LIMIT ${MAX_PROVIDER_DOMAINS + 1}`;
  return rows.length > MAX_PROVIDER_DOMAINS ? null : rows.map((r) => r.d);
}

/**
 * The stats filters as conditions on raw rows `r` (acct_record): the window and every dimension,
 * with complaints matched to a VirtualMTA or pool through their sending IP exactly as the stats
 * attribute them (count-query.ts), so a list of records always adds up to the count it explains.
 * `db`: where the statement using them runs, in the same snapshot (readRawRows).
 */
export async function rawFilterConditions(f: Filters, db: RawReader): Promise<Prisma.Sql[]> {
  const where: Prisma.Sql[] = [Prisma.sql`r.time_logged >= ${f.from} AND r.time_logged < ${f.to}`];
  if (f.domain.length) where.push(Prisma.sql`r.rcpt_domain = ANY(${f.domain}::text[])`);
  if (f.provider.length) {
    where.push(Prisma.sql`r.provider = ANY(${f.provider}::text[])`);
    // Raw rows have no provider index (its upkeep was 8–15 % of PostgreSQL's ingest CPU). The same
    // condition on the provider's domains, given as values, lets PostgreSQL find a provider with
    // few rows through the recipient-domain index (a subquery instead made it scan whole days);
    // for one with many it walks the time index, as for a VirtualMTA. A provider with hundreds of
    // domains is one with many rows (the catch-all "Other"): its domains are not listed.
    const domains = await providerDomains(db, f.provider);
    if (domains) where.push(Prisma.sql`r.rcpt_domain = ANY(${domains}::text[])`);
  }
  if (f.sourceIp.length) where.push(text('r.dlv_source_ip', f.sourceIp));
  if (f.job.length) where.push(text('r.job_id', f.job));
  if (f.bounceCategory.length) where.push(text('r.bounce_cat', f.bounceCategory));
  if (f.source.length) where.push(Prisma.sql`r.source = ANY(${f.source}::text[])`);
  for (const [values, column, own] of [
    [f.vmta, 'vmta', RAW_VMTA('r.')],
    [f.pool, 'vmta_pool', Prisma.raw('r.vmta_pool')],
  ] as const) {
    if (!values.length) continue;
    const col = Prisma.raw(column);
    // A complaint whose sending IP no VirtualMTA is known to use (or that has none) counts under
    // '' ("(none)"), as in the stats (count-query.ts: a LEFT JOIN to ip_vmta): asking for '' looks
    // the IP up per complaint; without '' the IN list of mapped IPs is enough.
    const complaint = values.includes('')
      ? Prisma.sql`COALESCE((SELECT m.${col} FROM (${IP_VMTA_SELECT}) m WHERE m.source_ip = r.dlv_source_ip), '') = ANY(${values}::text[])`
      : Prisma.sql`r.dlv_source_ip IN (SELECT source_ip FROM (${IP_VMTA_SELECT}) m WHERE m.${col} = ANY(${values}::text[]))`;
    where.push(Prisma.sql`(CASE WHEN r.type = 'f' THEN ${complaint}
      ELSE COALESCE(${own}, '') = ANY(${values}::text[]) END)`);
  }
  return where;
}
