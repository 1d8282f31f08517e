import { getPrisma } from '../db/client.ts';
import { type Filters, ParamError } from '../filters.ts';
import { zoneAllowsHourRollups } from './buckets.ts';
import { buildCountQuery, type CountQuery, type CountRow, rawRowsFrom } from './count-query.ts';
import { bucketMinutesOnly, checkMinuteReads, minuteRowsFrom } from './minute-reads.ts';

const MINUTE = 60_000;
const HOUR = 3_600_000;

export interface KeptFrom {
  /** Where raw rows are complete from, as the worker published it (raw_retention). */
  published: number | undefined;
  /** Where raw rows are complete from (rawRowsFrom). */
  from: number;
  /** Where the minute rollups are complete from (minuteRowsFrom). */
  minuteFrom: number;
}

/**
 * Where raw rows are complete from (rawRowsFrom): the start of the first day the worker keeps, as
 * it published it (raw_retention, one row, read on every call: the worker publishes it before it
 * drops a partition), or the first day the app's own RAW_RETENTION_DAYS keeps if later; and where
 * the minute rollups are, alike (minute_retention, MINUTE_ROLLUP_RETENTION_DAYS).
 */
export async function readKeptFrom(): Promise<KeptFrom> {
  const [kept] = await getPrisma().$queryRaw<{ raw: Date | null; minute: Date | null }[]>`
    SELECT (SELECT kept_from FROM raw_retention) AS raw, (SELECT kept_from FROM minute_retention) AS minute`;
  const published = kept?.raw?.getTime();
  return { published, from: rawRowsFrom(published), minuteFrom: minuteRowsFrom(kept?.minute?.getTime()) };
}

/** Where the minute rollups are complete from (ms; -Infinity when every minute is kept). */
export async function getMinuteKeptFrom(): Promise<number> {
  return (await readKeptFrom()).minuteFrom;
}

/**
 * Where raw records are complete from (ms since the epoch; -Infinity when every day is kept): the
 * records explorer and the suppressions say that older records are no longer listed.
 */
export async function getRawKeptFrom(): Promise<number> {
  return (await readKeptFrom()).from;
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
 * Minute rollups past MINUTE_ROLLUP_RETENTION_DAYS are gone: a count that would read a minute
 * before where they are kept is refused (checkMinuteReads), not short of its records.
 */
function checkMinutes(
  q: Pick<CountQuery, 'filters' | 'allowHourRollups' | 'bucket'>,
  minuteFrom: number,
): void {
  checkMinuteReads({
    from: q.filters.from,
    to: q.filters.to,
    allowHour: q.allowHourRollups,
    minuteFrom,
    minutesOnly: q.bucket ? bucketMinutesOnly(q.bucket.unit, q.bucket.tz) : undefined,
  });
}

/**
 * Throws the ParamError a count over this window would (checkEdges, checkMinutes; with the
 * screen's bucket and zone when it charts them). Screens call it before they stream their panels,
 * so the reason is shown as a bad parameter rather than as a panel that failed (a server
 * component's error message does not reach the browser in production). Whole hours need no
 * minute rollups and whole minutes no raw rows: no query then.
 */
export async function checkCountableWindow(
  filters: Filters,
  series?: { bucket: 'minute' | 'hour' | 'day'; tz: string },
): Promise<void> {
  const whole = (unit: number) => filters.from.getTime() % unit === 0 && filters.to.getTime() % unit === 0;
  const allowHourRollups =
    !series || (series.bucket !== 'minute' && zoneAllowsHourRollups(filters.from, filters.to, series.tz));
  if (whole(HOUR) && allowHourRollups) return;
  let kept: KeptFrom;
  try {
    kept = await readKeptFrom();
  } catch {
    return; // the database is down: each panel shows that on its own, with a retry
  }
  if (!whole(MINUTE)) checkEdges(filters, kept.from);
  const bucket = series ? { unit: series.bucket, tz: series.tz } : undefined;
  checkMinutes({ filters, allowHourRollups, bucket }, kept.minuteFrom);
}

/**
 * Runs the count query of every stats endpoint (buildCountQuery), told where raw rows are complete
 * from; an edge it cannot count exactly is refused (checkEdges).
 */
export async function queryCounts(q: CountQuery): Promise<CountRow[]> {
  const raw = await readKeptFrom();
  checkEdges(q.filters, raw.from);
  checkMinutes(q, raw.minuteFrom);
  return getPrisma().$queryRaw<CountRow[]>(buildCountQuery({ ...q, rawKeptFrom: raw.published }));
}
