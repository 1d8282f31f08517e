import { hardBounceCategories } from '../acct/bounce-class.ts';
import { getPrisma } from '../db/client.ts';
import { Prisma } from '../generated/prisma/client.ts';
import {
  firstSuppressionEvent,
  REASON_SQL,
  SUPPRESSION_REASONS,
  type SuppressionReason,
} from './suppression-sql.ts';

/** How many recipients became suppressed in [since, until), by the reason of their first event. */
export async function getSuppressionCounts(
  window: { since: Date; until?: Date },
  hardCategories: readonly string[] = hardBounceCategories(),
): Promise<Record<SuppressionReason, number>> {
  const where = [firstSuppressionEvent(hardCategories), Prisma.sql`r.time_logged >= ${window.since}`];
  if (window.until) where.push(Prisma.sql`r.time_logged < ${window.until}`);
  const rows = await getPrisma().$queryRaw<{ reason: SuppressionReason; n: bigint }[]>(Prisma.sql`
    SELECT ${REASON_SQL} AS reason, count(*) AS n FROM acct_record r
     WHERE ${Prisma.join(where, ' AND ')}
     GROUP BY 1`);
  const counts = Object.fromEntries(SUPPRESSION_REASONS.map((r) => [r, 0])) as Record<
    SuppressionReason,
    number
  >;
  for (const row of rows) counts[row.reason] = Number(row.n);
  return counts;
}
