const countFormat = new Intl.NumberFormat('en-US');

/** 1234567 → "1,234,567" (exact: the dashboard never rounds a count). */
export function formatCount(n: number): string {
  return countFormat.format(n);
}

/** A count with its noun, singular for one: "1 record", "1,042 records", "2 queries" (`many`). */
export function formatCountOf(n: number, one: string, many = `${one}s`): string {
  return `${countFormat.format(n)} ${n === 1 ? one : many}`;
}

/** 0.01234 → "1.23 %"; null (no denominator) → "–". */
export function formatPercent(rate: number | null, limits: readonly number[] = []): string {
  if (rate === null || !Number.isFinite(rate)) return '–';
  const pct = rate * 100;
  let digits = pct !== 0 && Math.abs(pct) < 1 ? 3 : 2;
  // Against limits (the 0.1 % complaint limit), rounding must not put a rate on the other side:
  // 116 of 116,151 is 0.0999 %, and "0.100 %" beside "Under 0.1 %" read as a contradiction.
  const crosses = (d: number) => limits.some((l) => rate < l !== Number(pct.toFixed(d)) < l * 100);
  while (digits < 6 && crosses(digits)) digits++;
  return `${pct.toFixed(digits)} %`;
}

/**
 * The change of a rate between two periods in percentage points ("▲ +0.80 pp", "▼ -1.25 pp"), with
 * the digits formatPercent gives the rates (3 under 1 %), and more while a change that is not 0
 * would read as 0: a complaint rate from 0.0500 % to 0.0504 % is "▲ +0.0004 pp", not "+0.000".
 * null when either rate is unknown (no attempts).
 */
export function formatPointChange(current: number | null, previous: number | null): string | null {
  if (current === null || previous === null || !Number.isFinite(current) || !Number.isFinite(previous))
    return null;
  const diff = (current - previous) * 100;
  if (diff === 0) return '= 0 pp';
  let digits = Math.max(Math.abs(current), Math.abs(previous)) * 100 < 1 ? 3 : 2;
  while (digits < 6 && Number(Math.abs(diff).toFixed(digits)) === 0) digits++;
  return diff > 0 ? `▲ +${diff.toFixed(digits)} pp` : `▼ ${diff.toFixed(digits)} pp`;
}

/**
 * How long ago a file's last record was logged, for the ingest screen: "5 min ago", or "no record
 * yet" for a file without one (a 0-byte file, a header alone), which read "– ago" (QA).
 */
export function formatAgo(seconds: number | null): string {
  if (seconds === null) return 'no record yet';
  if (seconds < 90) return `${Math.round(seconds)} s ago`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 172800) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86400)} d ago`;
}

/**
 * A latency percentile as read from the histograms, in the cards, the tables and the chart alike:
 * at most its bucket's upper bound ("≤ 30 s"), or, `beyond` the last bound, more than it ("> 3.0 d").
 */
export function formatPercentileBound(boundMs: number, beyond: boolean): string {
  return `${beyond ? '>' : '≤'} ${formatDuration(boundMs)}`;
}

/** A duration in ms, readably: "0 s", "45 s", "2 min", "1 h 30 min", "2.5 d"; null → "–". */
export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '–';
  const s = Math.round(ms / 1000);
  if (s < 90) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 90) return `${min} min`;
  if (min < 48 * 60) {
    const h = Math.floor(min / 60);
    const rest = min % 60;
    return rest ? `${h} h ${rest} min` : `${h} h`;
  }
  return `${(min / 1440).toFixed(1)} d`;
}

/**
 * A chart bucket's start in the display zone, e.g. "10 Jan, 14:05" (every chart's x axis). A wall
 * time the zone shows twice (the hour repeated when DST ends) names its offset, "1 Nov, 01:00 GMT-4"
 * and "1 Nov, 01:00 GMT-5": two bars read the same (QA).
 */
export function bucketLabel(tz: string): (iso: string) => string {
  const options: Intl.DateTimeFormatOptions = {
    timeZone: tz,
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  };
  const fmt = new Intl.DateTimeFormat('en-GB', options);
  const named = new Intl.DateTimeFormat('en-GB', { ...options, timeZoneName: 'short' });
  // The shifts there are: an hour, or half an hour (Lord Howe).
  const shifts = [-3_600_000, -1_800_000, 1_800_000, 3_600_000];
  return (iso) => {
    const t = new Date(iso).getTime();
    const label = fmt.format(t);
    return shifts.some((d) => fmt.format(t + d) === label) ? named.format(t) : label;
  };
}

/**
 * A half-open range [from, to) as wall times in the display zone, e.g. "5 Dec 2026, 10:35 →
 * 6 Dec 2026, 10:35 (UTC)"; seconds shown when a bound has them.
 */
export function formatRange(fromIso: string, toIso: string, tz: string): string {
  const from = new Date(fromIso);
  const to = new Date(toIso);
  const seconds = from.getTime() % 60_000 !== 0 || to.getTime() % 60_000 !== 0;
  const fmt = new Intl.DateTimeFormat('en-GB', {
    timeZone: tz,
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    ...(seconds ? { second: '2-digit' } : {}),
  });
  return `${fmt.format(from)} → ${fmt.format(to)} (${tz})`;
}

/**
 * Wall times of records and events in the display zone as "2026-12-06 10:49:02" (or without
 * seconds): the day unambiguous whatever the reader's locale (06/12/2026 reads as 12 June in the
 * US), ordered like the accounting files' own times.
 */
export function wallTimeFormat(tz: string, seconds = true): Intl.DateTimeFormat {
  // Sweden's locale writes ISO 8601 dates and 24-hour times.
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone: tz,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    ...(seconds ? { second: '2-digit' } : {}),
  });
}
