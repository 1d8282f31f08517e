import { getPrisma } from '../db/client.ts';
import { buildCountQuery, type CountQuery, type CountRow } from './count-query.ts';

const DAY = 86_400_000;

/**
 * Runs the count query of every stats endpoint (buildCountQuery), told where raw rows are complete
 * from: the start of the first day the worker keeps (raw_retention), plus a day of margin. Read on
 * every call (one row): the worker publishes it before it drops a partition.
 */
export async function queryCounts(q: CountQuery): Promise<CountRow[]> {
  const prisma = getPrisma();
  const [kept] = await prisma.$queryRaw<{ kept_from: Date }[]>`SELECT kept_from FROM raw_retention`;
  return prisma.$queryRaw<CountRow[]>(
    buildCountQuery({ ...q, rawKeptFrom: kept ? kept.kept_from.getTime() + DAY : undefined }),
  );
}
