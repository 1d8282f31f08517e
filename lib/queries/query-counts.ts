import { getPrisma } from '../db/client.ts';
import { type Filters, ParamError } from '../filters.ts';
import { buildCountQuery, type CountQuery, type CountRow, rawRowsFrom } from './count-query.ts';

const MINUTE = 60_000;

/**
 * Where raw rows are complete from (rawRowsFrom): the start of the first day the worker keeps, as
 * it published it (raw_retention, one row, read on every call: the worker publishes it before it
 * drops a partition), or the first day the app's own RAW_RETENTION_DAYS keeps if later.
 */
async function readRawRowsFrom(): Promise<{ published: number | undefined; from: number }> {
  const [kept] = await getPrisma().$queryRaw<{ kept_from: Date }[]>`SELECT kept_from FROM raw_retention`;
  const published = kept?.kept_from.getTime();
  return { published, from: rawRowsFrom(published) };
}

/**
 * Where raw records are complete from (ms since the epoch; -Infinity when every day is kept): the
 * records explorer and the suppressions say that older records are no longer listed.
 */
export async function getRawKeptFrom(): Promise<number> {
  return (await readRawRowsFrom()).from;
}

/**
 * Rollups hold whole minutes only, so a window edge within a minute whose raw rows are gone cannot
 * be counted exactly: a ParamError naming the parameter, not a count short of those records.
 */
function checkEdges(filters: Filters, rawFrom: number): void {
  for (const param of ['from', 'to'] as const) {
    const at = filters[param];
    if (at.getTime() % MINUTE !== 0 && at.getTime() < rawFrom) {
      throw new ParamError(
        `${param}=${at.toISOString()} is not a whole minute, and the raw records of minutes before ` +
          `${new Date(rawFrom).toISOString()} are no longer kept (RAW_RETENTION_DAYS): give a whole minute`,
        param,
      );
    }
  }
}

/**
 * Throws the ParamError a count over this window would (checkEdges). Screens call it before they
 * stream their panels, so the reason is shown as a bad parameter rather than as a panel that
 * failed (a server component's error message does not reach the browser in production). Whole
 * minutes need no raw rows: no query then.
 */
export async function checkCountableWindow(filters: Filters): Promise<void> {
  if (filters.from.getTime() % MINUTE === 0 && filters.to.getTime() % MINUTE === 0) return;
  let rawFrom: number;
  try {
    rawFrom = (await readRawRowsFrom()).from;
  } catch {
    return; // the database is down: each panel shows that on its own, with a retry
  }
  checkEdges(filters, rawFrom);
}

/**
 * Runs the count query of every stats endpoint (buildCountQuery), told where raw rows are complete
 * from; an edge it cannot count exactly is refused (checkEdges).
 */
export async function queryCounts(q: CountQuery): Promise<CountRow[]> {
  const raw = await readRawRowsFrom();
  checkEdges(q.filters, raw.from);
  return getPrisma().$queryRaw<CountRow[]>(buildCountQuery({ ...q, rawKeptFrom: raw.published }));
}
