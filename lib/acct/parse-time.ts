// Called twice per record on the ingest hot path, so this hand-parses with charCodeAt instead of a
// regex or `new Date(string)` (which would also guess a zone for offset-less strings).

const ZERO = 48;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
/** 9999-12-31T23:59:59Z: epoch seconds beyond this are not a timestamp PowerMTA wrote. */
const MAX_EPOCH_SECONDS = 253_402_300_799;
/**
 * 0001-01-01T00:00:00Z. With MAX_EPOCH_SECONDS, the instants a timestamp may name: the years
 * PostgreSQL's dates and the raw partitions' day names (YYYYMMDD) spell with four digits. A damaged
 * `9999-12-31 23:59:59-0100` (year 10000 in UTC) or `0000-…` was read, and its day partition could
 * not be created: the worker stopped at that line, on every start.
 */
const MIN_EPOCH_SECONDS = -62_135_596_800;

/** Reads two ASCII digits at `at`, or -1 if either is not a digit. */
function readTwo(s: string, at: number): number {
  const a = s.charCodeAt(at) - ZERO;
  const b = s.charCodeAt(at + 1) - ZERO;
  // Written so that NaN (reading past the end) fails too.
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's days_from_civil); Date.UTC is slower. */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function parseEpoch(s: string): Date | null {
  // `iso-times no`: whole seconds, some tools add a fraction.
  let i = 0;
  let seconds = 0;
  while (i < s.length) {
    const d = s.charCodeAt(i) - ZERO;
    if (d < 0 || d > 9) break;
    seconds = seconds * 10 + d;
    i++;
  }
  if (i === 0 || seconds > MAX_EPOCH_SECONDS) return null;
  let ms = 0;
  if (i < s.length) {
    if (s.charCodeAt(i) !== 46 /* . */ || i + 1 === s.length) return null;
    let scale = 100;
    for (let j = i + 1; j < s.length; j++) {
      const d = s.charCodeAt(j) - ZERO;
      if (d < 0 || d > 9) return null;
      ms += d * scale;
      scale /= 10;
    }
  }
  return new Date(seconds * 1000 + Math.floor(ms));
}

/** Parses `±hhmm`, `±hh:mm`, `±hh` or `Z` at `at` to minutes east of UTC; null when malformed. */
function parseOffset(s: string, at: number): number | null {
  const c = s.charCodeAt(at);
  if ((c === 90 /* Z */ || c === 122) /* z */ && at + 1 === s.length) return 0;
  if (c !== 43 /* + */ && c !== 45 /* - */) return null;
  const rest = s.length - at - 1;
  const hh = readTwo(s, at + 1);
  let mm: number;
  if (rest === 2) mm = 0;
  else if (rest === 4) mm = readTwo(s, at + 3);
  else if (rest === 5 && s.charCodeAt(at + 3) === 58 /* : */) mm = readTwo(s, at + 4);
  else return null;
  if (hh < 0 || hh > 23 || mm < 0 || mm > 59) return null;
  const minutes = hh * 60 + mm;
  return c === 45 ? -minutes : minutes;
}

/**
 * Parses a PowerMTA timestamp: `YYYY-MM-DD HH:MM:SS±hhmm` (also `±hh:mm`, a `T` separator, `Z`,
 * optional fractional seconds) or Unix epoch seconds. A wall time without an offset is refused
 * (null): guessing the server's zone would silently shift every record.
 */
export function parseAcctTime(input: string): Date | null {
  let s = input;
  if (s.length === 0) return null;
  if (s.charCodeAt(0) <= 32 || s.charCodeAt(s.length - 1) <= 32) s = s.trim();
  if (s.length < 19) return s.length > 0 ? parseEpoch(s) : null;
  if (s.charCodeAt(4) !== 45 /* - */) return parseEpoch(s);

  const century = readTwo(s, 0);
  const yy = readTwo(s, 2);
  const year = century * 100 + yy;
  const month = readTwo(s, 5);
  const day = readTwo(s, 8);
  const sep = s.charCodeAt(10);
  const hour = readTwo(s, 11);
  const minute = readTwo(s, 14);
  const second = readTwo(s, 17);
  if (
    century < 0 ||
    yy < 0 ||
    s.charCodeAt(7) !== 45 ||
    s.charCodeAt(13) !== 58 ||
    s.charCodeAt(16) !== 58 ||
    (sep !== 32 && sep !== 84 /* T */ && sep !== 116) /* t */
  ) {
    return null;
  }
  if (month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59) return null;
  if (second < 0 || second > 60) return null; // 60: a leap second, rolls into the next minute
  const monthDays = month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1];
  if (day > monthDays) return null;

  let at = 19;
  let ms = 0;
  if (s.charCodeAt(at) === 46 /* . */) {
    let scale = 100;
    at++;
    const fracStart = at;
    for (; at < s.length; at++) {
      const d = s.charCodeAt(at) - ZERO;
      if (d < 0 || d > 9) break;
      ms += d * scale;
      scale /= 10;
    }
    if (at === fracStart) return null;
  }
  if (s.charCodeAt(at) === 32) at++; // `21:54:05 +0000` is seen from some converters
  if (at >= s.length) return null;
  const offsetMinutes = parseOffset(s, at);
  if (offsetMinutes === null) return null;

  const utcSeconds =
    daysFromCivil(year, month, day) * 86_400 + hour * 3600 + (minute - offsetMinutes) * 60 + second;
  if (utcSeconds < MIN_EPOCH_SECONDS || utcSeconds > MAX_EPOCH_SECONDS) return null;
  return new Date(utcSeconds * 1000 + Math.floor(ms));
}
