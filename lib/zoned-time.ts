import { zoneOffsetMinutes } from './queries/buckets.ts';

const MINUTE = 60_000;
const LOCAL_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * A wall-clock time in zone `tz` (an `<input type="datetime-local">` value) as the UTC instant.
 * A time skipped by a DST change moves forward by the gap; a repeated one takes the earlier instant.
 */
export function zonedLocalToUtc(local: string, tz: string): Date | null {
  const m = LOCAL_RE.exec(local);
  if (!m) return null;
  const asUtc = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +(m[6] ?? 0));
  if (Number.isNaN(asUtc)) return null;
  // Try the offsets in effect around that wall time; keep the earliest instant that shows it.
  const offsets = new Set([
    zoneOffsetMinutes(new Date(asUtc - 86_400_000), tz),
    zoneOffsetMinutes(new Date(asUtc), tz),
    zoneOffsetMinutes(new Date(asUtc + 86_400_000), tz),
  ]);
  const candidates = [...offsets]
    .map((o) => asUtc - o * MINUTE)
    .filter((t) => zoneOffsetMinutes(new Date(t), tz) * MINUTE === asUtc - t)
    .sort((a, b) => a - b);
  if (candidates.length) return new Date(candidates[0]);
  // In a DST gap: the wall time does not exist; use the offset before the change.
  const before = zoneOffsetMinutes(new Date(asUtc - 86_400_000), tz);
  return new Date(asUtc - before * MINUTE);
}

/** An instant as `YYYY-MM-DDTHH:mm` wall time in zone `tz` (for a datetime-local input). */
export function toZonedLocal(at: Date, tz: string): string {
  const shifted = new Date(at.getTime() + zoneOffsetMinutes(at, tz) * MINUTE);
  return shifted.toISOString().slice(0, 16);
}

/**
 * The instant at the same wall time `days` days later (earlier when negative) in zone `tz`: a
 * week before 10:05 on the Monday after a clock change is 10:05 on the Monday before it, 167 or
 * 169 hours back. Seconds and milliseconds are kept; a wall time that does not exist on the
 * target day (in a DST gap) moves forward by the gap, a repeated one takes the earlier instant.
 */
export function shiftWallDays(at: Date, days: number, tz: string): Date {
  const ms = at.getTime();
  const withinMinute = ((ms % MINUTE) + MINUTE) % MINUTE;
  const wall = Date.parse(`${toZonedLocal(new Date(ms - withinMinute), tz)}:00Z`) + days * 86_400_000;
  const shifted = zonedLocalToUtc(new Date(wall).toISOString().slice(0, 16), tz);
  if (!shifted) throw new RangeError(`no wall time ${days} days from ${at.toISOString()} in ${tz}`);
  return new Date(shifted.getTime() + withinMinute);
}
