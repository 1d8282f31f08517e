import { getPrisma } from '../db/client.ts';
import { ParamError } from '../filters.ts';
import { buildCountQuery, type CountQuery, type CountRow, rawRowsFrom } from './count-query.ts';

const MINUTE = 60_000;

/**
 * Runs the count query of every stats endpoint (buildCountQuery), told where raw rows are complete
 * from: the start of the first day the worker keeps (raw_retention), or the first day the app's own
 * RAW_RETENTION_DAYS keeps if later (rawRowsFrom). Read on every call (one row): the worker
 * publishes it before it drops a partition. Rollups hold whole
 * minutes only, so an edge within a minute whose raw rows are gone cannot be counted exactly: that
 * is a 400 naming the parameter, not a count short of those records.
 */
export async function queryCounts(q: CountQuery): Promise<CountRow[]> {
  const prisma = getPrisma();
  const [kept] = await prisma.$queryRaw<{ kept_from: Date }[]>`SELECT kept_from FROM raw_retention`;
  const rawFrom = rawRowsFrom(kept?.kept_from.getTime());
  for (const param of ['from', 'to'] as const) {
    const at = q.filters[param];
    if (at.getTime() % MINUTE !== 0 && at.getTime() < rawFrom) {
      throw new ParamError(
        `${param}=${at.toISOString()} is not a whole minute, and the raw records of minutes before ` +
          `${new Date(rawFrom).toISOString()} are no longer kept (RAW_RETENTION_DAYS): give a whole minute`,
        param,
      );
    }
  }
  return prisma.$queryRaw<CountRow[]>(buildCountQuery({ ...q, rawKeptFrom: kept?.kept_from.getTime() }));
}
