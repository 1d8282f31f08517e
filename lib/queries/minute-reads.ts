import { ParamError } from '../filters.ts';
import { firstDayKept } from '../raw-retention.ts';
import { splitTimeRange } from './time-segments.ts';

const MINUTE = 60_000;
const HOUR = 3_600_000;

/**
 * Where the minute rollups are complete from: the later of where the worker published they start
 * (minute_retention, `published`) and the first day MINUTE_ROLLUP_RETENTION_DAYS keeps if the app
 * was given it (firstDayKept, the worker's own rule). -Infinity when neither says.
 */
export function minuteRowsFrom(published: number | undefined, now = Date.now()): number {
  const days = Number(process.env.MINUTE_ROLLUP_RETENTION_DAYS ?? 0);
  const fromEnv = Number.isInteger(days) && days > 0 ? firstDayKept(days, now) : Number.NEGATIVE_INFINITY;
  return Math.max(fromEnv, published ?? Number.NEGATIVE_INFINITY);
}

/**
 * Why a read takes every minute of its range from the minute rollups rather than its whole hours
 * from the hour rollups: the parameter to name when that range reaches before them.
 */
export interface MinutesOnly {
  param: string;
  /** The rest of the message: what to change. */
  why: string;
}

export interface MinuteReads {
  from: Date;
  to: Date;
  /** Whole hours come from the hour rollups (as splitTimeRange's allowHour). */
  allowHour: boolean;
  /** Where the minute rollups are complete from (minuteRowsFrom). */
  minuteFrom: number;
  /** Without allowHour: why (a minute bucket, a zone off whole hours…). */
  minutesOnly?: MinutesOnly;
}

const RETENTION = 'MINUTE_ROLLUP_RETENTION_DAYS';

/**
 * A read refused because the minute rollups it needs are deleted (MINUTE_ROLLUP_RETENTION_DAYS):
 * its message says what to change, and screens show it as it is.
 */
export class MinutesNotKeptError extends ParamError {}

/**
 * Throws a ParamError when the read of [from, to) would take a minute from the minute rollups
 * before they are kept (minuteFrom): those rows are deleted (MINUTE_ROLLUP_RETENTION_DAYS), so the
 * count would be short of them. An edge off the whole hour names `from` or `to` (whole hours are
 * still read from the hour rollups); a read of minutes only names its cause (`minutesOnly`).
 */
export function checkMinuteReads(r: MinuteReads): void {
  if (r.from.getTime() >= r.minuteFrom) return;
  const kept = new Date(r.minuteFrom).toISOString();
  for (const seg of splitTimeRange(r.from, r.to, { allowHour: r.allowHour })) {
    if (seg.table !== 'minute' || seg.from.getTime() >= r.minuteFrom) continue;
    if (!r.allowHour) {
      const only = r.minutesOnly ?? { param: 'from', why: `give a range from ${kept} on` };
      throw new MinutesNotKeptError(
        `the minute rollups before ${kept} are no longer kept (${RETENTION}), and this range reaches ` +
          `before then: ${only.why}`,
        only.param,
      );
    }
    const fromOnHour = r.from.getTime() % HOUR === 0;
    const param =
      !fromOnHour && seg.from.getTime() === Math.ceil(r.from.getTime() / MINUTE) * MINUTE ? 'from' : 'to';
    throw new MinutesNotKeptError(
      `${param}=${r[param].toISOString()} is not on a whole hour, and the minute rollups before ${kept} ` +
        `are no longer kept (${RETENTION}): give a whole hour`,
      param,
    );
  }
}

/** Why a bucketed series reads minutes only (see MinutesOnly), for checkMinuteReads. */
export function bucketMinutesOnly(bucket: string, tz: string): MinutesOnly {
  return bucket === 'minute'
    ? { param: 'bucket', why: 'choose hour or day buckets, or a range from then on' }
    : {
        param: 'tz',
        why: `tz=${tz} is not a whole number of hours from UTC over this range, so its ${bucket}s are counted from minutes: choose a zone on whole hours (UTC), or a range from then on`,
      };
}
