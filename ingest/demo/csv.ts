const NEEDS_QUOTES = /[",\r\n]/;

/** RFC 4180 field: quoted only when it holds a comma, quote or line break; inner quotes doubled. */
export function quoteCsv(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Parses `+0100`, `-05:30`, `Z` into minutes east of UTC. */
export function parseZoneOffset(offset: string): number {
  if (offset === 'Z' || offset === '') return 0;
  const match = /^([+-])(\d{2}):?(\d{2})$/.exec(offset);
  if (!match) throw new Error(`invalid timeZoneOffset "${offset}" (expected ±hhmm, e.g. +0100)`);
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  if (minutes > 14 * 60) throw new Error(`invalid timeZoneOffset "${offset}" (beyond ±14:00)`);
  return match[1] === '-' ? -minutes : minutes;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** UTC calendar day of an epoch-ms instant, `YYYY-MM-DD` (file rotation is by UTC day). */
export function formatUtcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * Builds a formatter for PowerMTA ISO times (`YYYY-MM-DD HH:MM:SS+0000`) in a fixed offset.
 * Rows arrive mostly in time order, so caching the last second and day keeps this off the
 * profile when writing millions of rows.
 */
export function createTimeFormatter(offsetMinutes: number): (ms: number) => string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const suffix = `${sign}${pad2(Math.floor(abs / 60))}${pad2(abs % 60)}`;
  let lastSecond = Number.NaN;
  let lastText = '';
  let lastDay = Number.NaN;
  let dayText = '';
  return (ms: number): string => {
    const second = Math.floor(ms / 1000);
    if (second === lastSecond) return lastText;
    const local = second + offsetMinutes * 60;
    const day = Math.floor(local / 86400);
    if (day !== lastDay) {
      lastDay = day;
      dayText = `${new Date(day * 86400000).toISOString().slice(0, 10)} `;
    }
    const rest = local - day * 86400;
    const hh = Math.floor(rest / 3600);
    const mm = Math.floor((rest % 3600) / 60);
    const ss = rest % 60;
    lastSecond = second;
    lastText = `${dayText}${pad2(hh)}:${pad2(mm)}:${pad2(ss)}${suffix}`;
    return lastText;
  };
}
