export const BUCKETS = ['minute', 'hour', 'day'] as const;
export type Bucket = (typeof BUCKETS)[number];

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
export const MAX_BUCKETS = 5000;

/**
 * A sensible bucket for a range: minutes up to 6 h, hours up to 7 days, days beyond; hours rather
 * than minutes for a range starting before `minuteFrom`, where the minute rollups are no longer
 * kept (MINUTE_ROLLUP_RETENTION_DAYS).
 */
export function chooseBucket(from: Date, to: Date, minuteFrom = Number.NEGATIVE_INFINITY): Bucket {
  const span = to.getTime() - from.getTime();
  if (span <= 6 * HOUR && from.getTime() >= minuteFrom) return 'minute';
  if (span <= 6 * HOUR) return 'hour';
  if (span <= 7 * DAY) return 'hour';
  return 'day';
}

const partsFormatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(tz: string): Intl.DateTimeFormat {
  let f = partsFormatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    partsFormatters.set(tz, f);
  }
  return f;
}

/** The zone's UTC offset in minutes at an instant (positive east of Greenwich). */
export function zoneOffsetMinutes(at: Date, tz: string): number {
  const p = Object.fromEntries(
    formatterFor(tz)
      .formatToParts(at)
      .map((x) => [x.type, x.value]),
  );
  const asUtc = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second);
  return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / MINUTE);
}

/**
 * Whether `ok` holds for the zone's offset (minutes) over all of [from, to), checked at `from`,
 * every day after it and at `to`: offsets change at most twice a year.
 */
function offsetAlways(from: Date, to: Date, tz: string, ok: (offset: number) => boolean): boolean {
  if (tz === 'UTC' || tz === 'Etc/UTC') return ok(0);
  for (let t = from.getTime(); ; t = Math.min(t + DAY, to.getTime())) {
    if (!ok(zoneOffsetMinutes(new Date(t), tz))) return false;
    if (t >= to.getTime()) return true;
  }
}

/**
 * Whether hour rollups can serve buckets in this zone over [from, to): whole-hour offsets all
 * along (Australia/Lord_Howe is +11 in summer but +10:30 in winter, so a range from one summer to
 * the next must not use them).
 */
export function zoneAllowsHourRollups(from: Date, to: Date, tz: string): boolean {
  return offsetAlways(from, to, tz, (offset) => offset % 60 === 0);
}

/** Whether the zone's offset is 0 over all of [from, to): its days are UTC days. */
export function zoneDaysAreUtc(from: Date, to: Date, tz: string): boolean {
  return offsetAlways(from, to, tz, (offset) => offset === 0);
}

/** The start of the bucket holding `at`, in zone `tz` (what SQL's date_trunc(unit, t, tz) returns). */
export function truncateToBucket(at: Date, bucket: Bucket, tz: string): Date {
  const ms = at.getTime();
  if (bucket === 'minute') return new Date(Math.floor(ms / MINUTE) * MINUTE);
  const offset = zoneOffsetMinutes(at, tz) * MINUTE;
  const local = ms + offset;
  const unit = bucket === 'hour' ? HOUR : DAY;
  const localStart = Math.floor(local / unit) * unit;
  // As PostgreSQL does: an hour keeps the offset of `at` (so at Lord Howe's half-hour shifts the
  // hour 02:00 of 02:40 +11 starts at 15:00Z, though 02:00–02:30 never happened there), while a
  // day is converted back with the offset valid at its start (DST days; a midnight that did not
  // happen, as in Santiago, takes the offset before the change).
  if (bucket === 'hour') return new Date(localStart - offset);
  return new Date(localToUtc(localStart, tz));
}

/**
 * The instant of a local wall time (`local`: its fields read as UTC, in ms) in zone `tz`, as
 * PostgreSQL resolves it: a time that happens twice (a fall-back) takes the offset after the
 * change, one that never happens (a spring-forward) the offset before it. On Havana's repeated
 * midnight (1 November 2026, 01:00 CDT → 00:00 CST) the day starts at 05:00Z, not 04:00Z (QA).
 */
function localToUtc(local: number, tz: string): number {
  const before = zoneOffsetMinutes(new Date(local - 14 * HOUR), tz) * MINUTE;
  const after = zoneOffsetMinutes(new Date(local + 14 * HOUR), tz) * MINUTE;
  if (before === after) return local - before;
  if (zoneOffsetMinutes(new Date(local - after), tz) * MINUTE === after) return local - after;
  return local - before;
}

/**
 * Whether a series of [from, to) in this bucket stays within MAX_BUCKETS points, counted as the
 * series itself is: the API and the screens refuse more, and the Bucket control does not offer it.
 */
export function bucketsFit(from: Date, to: Date, bucket: Bucket, tz: string): boolean {
  return bucketStarts(from, to, bucket, tz).length <= MAX_BUCKETS;
}

/** Every bucket start intersecting [from, to), in order: the skeleton that gap-filling fills. */
export function bucketStarts(from: Date, to: Date, bucket: Bucket, tz: string): Date[] {
  const out: Date[] = [];
  let cur = truncateToBucket(from, bucket, tz);
  while (cur.getTime() < to.getTime()) {
    out.push(cur);
    if (out.length > MAX_BUCKETS) break;
    cur = nextBucketStart(cur, bucket, tz);
  }
  return out;
}

/** The start of the bucket after the one starting at `start` (where that bucket ends). */
export function nextBucketStart(start: Date, bucket: Bucket, tz: string): Date {
  const step = bucket === 'minute' ? MINUTE : bucket === 'hour' ? HOUR : DAY;
  // Step past the next boundary and truncate again: days of 23 or 25 hours stay aligned.
  const next = truncateToBucket(
    new Date(start.getTime() + step + (bucket === 'day' ? 3 * HOUR : 0)),
    bucket,
    tz,
  );
  return next.getTime() > start.getTime() ? next : new Date(start.getTime() + step);
}

/**
 * bucketWindow's answers, which depend on nothing else. A table of trends asks for the same
 * buckets once per row (atBucketPace): /domains over 90 days in Europe/Berlin, 302 rows of day
 * buckets, walked the day of the clock change minute by minute for each row: the screen took
 * 21.6 s, nearly all of it here (QA); in UTC the other buckets' zone lookups alone took 0.8 s.
 */
const windows = new Map<string, { start: Date; end: Date }>();
const MAX_WINDOWS = 50_000;

/**
 * The instants whose bucket starts at `start` (truncateToBucket, as PostgreSQL's date_trunc counts
 * them): [start, next bucket's start) but where the zone's offset changes within a few hours of
 * it. There PostgreSQL's buckets are not each other's ends: at Lord Howe's half-hour shift the hour
 * starting 14:30Z holds 14:30–15:30Z and the next, starting 15:00Z, 15:30–16:00Z; on Havana's
 * repeated midnight a day's bucket holds an hour before its start. A chart's bar opened the first
 * while counting the second (QA). Offsets change on whole minutes, so the window is found minute
 * by minute around such a bucket.
 */
export function bucketWindow(start: Date, bucket: Bucket, tz: string): { start: Date; end: Date } {
  const key = `${bucket} ${tz} ${start.getTime()}`;
  const known = windows.get(key);
  if (known) return known;
  const window = findBucketWindow(new Date(start.getTime()), bucket, tz);
  if (windows.size >= MAX_WINDOWS) windows.clear();
  windows.set(key, window);
  return window;
}

function findBucketWindow(start: Date, bucket: Bucket, tz: string): { start: Date; end: Date } {
  const next = nextBucketStart(start, bucket, tz);
  if (bucket === 'minute') return { start, end: next };
  const lo = start.getTime() - 3 * HOUR;
  const hi = next.getTime() + 3 * HOUR;
  // Offsets change at most twice a year: the same one on both sides, none in between.
  if (zoneOffsetMinutes(new Date(lo), tz) === zoneOffsetMinutes(new Date(hi), tz))
    return { start, end: next };
  let first = Number.NaN;
  let last = Number.NaN;
  for (let t = lo; t < hi; t += MINUTE) {
    if (truncateToBucket(new Date(t), bucket, tz).getTime() !== start.getTime()) continue;
    if (Number.isNaN(first)) first = t;
    last = t;
  }
  return Number.isNaN(first)
    ? { start, end: next }
    : { start: new Date(first), end: new Date(last + MINUTE) };
}

/**
 * The part of the bucket starting at `start` that lies in [from, to): a series' first bucket
 * starts before `from` unless the range begins on a boundary, its last may end at `to`. `partial`
 * when the range cuts it (its counts are of that part only).
 */
export function bucketInRange(start: Date, bucket: Bucket, tz: string, from: Date, to: Date) {
  const held = bucketWindow(start, bucket, tz);
  const inStart = held.start.getTime() < from.getTime() ? from : held.start;
  const inEnd = held.end.getTime() > to.getTime() ? to : held.end;
  return { start: inStart, end: inEnd, partial: inStart !== held.start || inEnd !== held.end };
}

/**
 * A sparkline's values at the pace of a whole bucket. The range cuts its first and last bucket (a
 * 24-hour range at 16:07 ends with 7 minutes of the 16:00 hour), which hold only that part's
 * records: drawn as counted, every row's trend fell at its end, as if traffic stopped (QA). A cut
 * bucket's count is scaled to the whole bucket; `points` are the series' buckets (start, ISO).
 */
export function atBucketPace(
  points: readonly { t: string }[],
  values: readonly number[],
  bucket: Bucket,
  tz: string,
  from: Date,
  to: Date,
): number[] {
  return values.map((v, i) => {
    const start = new Date(points[i].t);
    const part = bucketInRange(start, bucket, tz, from, to);
    if (!part.partial || v === 0) return v;
    const whole = bucketWindow(start, bucket, tz);
    const inRange = part.end.getTime() - part.start.getTime();
    return inRange > 0 ? (v * (whole.end.getTime() - whole.start.getTime())) / inRange : v;
  });
}
