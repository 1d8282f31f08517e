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
 * Whether `outside` (ms) of a coarser bucket is cheaper to subtract than `inside` (ms) is to add in
 * finer buckets (`unit`): a coarser bucket costs about as many rows as one finer bucket, since each
 * value has one row per type in either.
 */
const coarser = (outside: number, inside: number, unit: number) => outside / unit + 1 < inside / unit;

type Push = (table: TimeSegment['table'], a: number, b: number, negate?: true) => void;

/**
 * Whole UTC days [a, b) inside the month [ms, me): from day rows, or — when fewer days are left out
 * than read — as the month minus the days outside [a, b).
 */
function pushPartialMonth(push: Push, a: number, b: number, ms: number, me: number) {
  if (coarser(me - ms - (b - a), b - a, DAY)) {
    push('month', ms, me);
    push('day', ms, a, true);
    push('day', b, me, true);
  } else {
    push('day', a, b);
  }
}

/** Whole UTC days [d1, d2): day rows, or months (whole, or mostly inside) where allowed. */
function pushDays(push: Push, d1: number, d2: number, allowMonth: boolean) {
  const mo1 = utcMonthEdge(d1, true);
  const mo2 = utcMonthEdge(d2, false);
  if (!allowMonth) {
    push('day', d1, d2);
  } else if (mo1 <= mo2) {
    if (d1 < mo1) pushPartialMonth(push, d1, mo1, utcMonthEdge(d1, false), mo1);
    push('month', mo1, mo2);
    if (mo2 < d2) pushPartialMonth(push, mo2, d2, mo2, utcMonthEdge(d2, true));
  } else {
    // [d1, d2) lies inside one month, starting and ending inside it.
    pushPartialMonth(push, d1, d2, mo2, mo1);
  }
}

/**
 * Splits [from, to) into the fewest segments each answerable exactly: month rollups for the whole
 * UTC months (when allowed), day rollups for the whole UTC days around them, hour rollups for the
 * whole hours around them, minute rollups for whole minutes at the edges, raw rows for sub-minute
 * edges. A month or day mostly inside the range is read whole, minus its days or hours outside it
 * (segments marked `negate`). That is what keeps a
 * count exact for any range, e.g. "now − 24 h" down to the millisecond.
 */
export function splitTimeRange(from: Date, to: Date, opts: SplitOptions): TimeSegment[] {
  const f = from.getTime();
  const t = to.getTime();
  const out: TimeSegment[] = [];
  const push: Push = (table, a, b, negate) => {
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
    if (allowDay) {
      // Hour edges: a day mostly inside the range is its day row minus the hours outside it.
      let d1 = ceilTo(h1, DAY);
      let d2 = floorTo(h2, DAY);
      const right: [number, number, true?][] = [];
      if (d1 <= d2) {
        if (h1 < d1) {
          if (coarser(h1 - (d1 - DAY), d1 - h1, HOUR)) {
            push('hour', d1 - DAY, h1, true);
            d1 -= DAY;
          } else push('hour', h1, d1);
        }
        if (d2 < h2) {
          if (coarser(d2 + DAY - h2, h2 - d2, HOUR)) {
            right.push([h2, d2 + DAY, true]);
            d2 += DAY;
          } else right.push([d2, h2]);
        }
      } else if (coarser(DAY - (h2 - h1), h2 - h1, HOUR)) {
        // [h1, h2) lies inside one day: the day minus its hours before and after.
        push('hour', d2, h1, true);
        right.push([h2, d1, true]);
        [d1, d2] = [d2, d1];
      } else {
        push('hour', h1, h2);
      }
      if (d1 < d2) pushDays(push, d1, d2, opts.allowMonth === true);
      for (const [a, b, negate] of right) push('hour', a, b, negate);
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
