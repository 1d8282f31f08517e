/** Where one slice of a time range is counted from. */
export interface TimeSegment {
  table: 'raw' | 'minute' | 'hour' | 'day' | 'month';
  from: Date;
  to: Date;
  /**
   * Subtract this segment's counts instead of adding them: a month mostly inside the range is read
   * as its month rows minus the day rows of the days outside the range (exact, since the ingest
   * writes a month's rows from the same counts as its days, in the same transaction).
   */
  negate?: true;
}

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const floorTo = (ms: number, unit: number) => Math.floor(ms / unit) * unit;
const ceilTo = (ms: number, unit: number) => Math.ceil(ms / unit) * unit;

export interface SplitOptions {
  /** Hour rollups may serve whole hours (not with minute buckets or half-hour zones). */
  allowHour: boolean;
  /** Day rollups (UTC days) may serve whole days; implies allowHour. */
  allowDay?: boolean;
  /** Month rollups (UTC calendar months) may serve whole months; implies allowDay. */
  allowMonth?: boolean;
}

/** The start of the UTC calendar month holding `ms`, or of the next one (`up`) unless on a start. */
function utcMonthEdge(ms: number, up: boolean): number {
  const d = new Date(ms);
  const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  return up && start < ms ? Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) : start;
}

/**
 * Whole UTC days [a, b) inside the month [ms, me): from day rows, or — when fewer days are left out
 * than read (a month costs about as many rows as one day: each value has one row per type in
 * either) — as the month minus the days outside [a, b).
 */
function pushPartialMonth(
  push: (table: TimeSegment['table'], a: number, b: number, negate?: true) => void,
  a: number,
  b: number,
  ms: number,
  me: number,
) {
  const inside = (b - a) / DAY;
  const outside = (me - ms) / DAY - inside;
  if (outside + 1 < inside) {
    push('month', ms, me);
    push('day', ms, a, true);
    push('day', b, me, true);
  } else {
    push('day', a, b);
  }
}

/**
 * Splits [from, to) into the fewest segments each answerable exactly: month rollups for the whole
 * UTC months (when allowed; also for a month mostly inside the range, minus its days outside it),
 * day rollups for the whole UTC days around them, hour rollups for the whole hours around them,
 * minute rollups for whole minutes at the edges, raw rows for sub-minute edges. That is what keeps a
 * count exact for any range, e.g. "now − 24 h" down to the millisecond.
 */
export function splitTimeRange(from: Date, to: Date, opts: SplitOptions): TimeSegment[] {
  const f = from.getTime();
  const t = to.getTime();
  const out: TimeSegment[] = [];
  const push = (table: TimeSegment['table'], a: number, b: number, negate?: true) => {
    if (a < b)
      out.push(
        negate
          ? { table, from: new Date(a), to: new Date(b), negate }
          : { table, from: new Date(a), to: new Date(b) },
      );
  };
  const m1 = ceilTo(f, MINUTE);
  const m2 = floorTo(t, MINUTE);
  if (m1 >= m2) {
    push('raw', f, t);
    return out;
  }
  push('raw', f, m1);
  const h1 = ceilTo(m1, HOUR);
  const h2 = floorTo(m2, HOUR);
  const allowDay = opts.allowDay || opts.allowMonth;
  if ((opts.allowHour || allowDay) && h1 < h2) {
    push('minute', m1, h1);
    const d1 = ceilTo(h1, DAY);
    const d2 = floorTo(h2, DAY);
    if (allowDay && d1 < d2) {
      push('hour', h1, d1);
      const mo1 = utcMonthEdge(d1, true);
      const mo2 = utcMonthEdge(d2, false);
      if (!opts.allowMonth) {
        push('day', d1, d2);
      } else if (mo1 <= mo2) {
        if (d1 < mo1) pushPartialMonth(push, d1, mo1, utcMonthEdge(d1, false), mo1);
        push('month', mo1, mo2);
        if (mo2 < d2) pushPartialMonth(push, mo2, d2, mo2, utcMonthEdge(d2, true));
      } else {
        // [d1, d2) lies inside one month, starting and ending inside it.
        pushPartialMonth(push, d1, d2, mo2, mo1);
      }
      push('hour', d2, h2);
    } else {
      push('hour', h1, h2);
    }
    push('minute', h2, m2);
  } else {
    push('minute', m1, m2);
  }
  push('raw', m2, t);
  return out;
}
