import { z } from 'zod';
import { normaliseDomain } from './acct/domain.ts';
import { truncateToBucket } from './queries/buckets.ts';

/** Repeatable filters of every stats endpoint (architecture.md, HTTP API v1). */
export const FILTER_PARAMS = [
  'domain',
  'provider',
  'vmta',
  'pool',
  'sourceIp',
  'job',
  'bounceCategory',
  'source',
] as const;
export type FilterParam = (typeof FILTER_PARAMS)[number];

export interface Filters {
  from: Date;
  to: Date;
  domain: string[];
  provider: string[];
  vmta: string[];
  pool: string[];
  sourceIp: string[];
  job: string[];
  bounceCategory: string[];
  source: string[];
  /**
   * The display zone of the screen the filters came from (`tz=`), carried by the links built from
   * them (a count opened the records explorer in the browser's zone, hours off the screen's).
   * Queries never read it: buckets take their zone separately.
   */
  tz?: string;
}

export class ParamError extends Error {
  constructor(
    message: string,
    readonly param: string,
  ) {
    super(message);
  }
}

const DAY = 86_400_000;
export const MAX_RANGE_DAYS = 400;
const ISO_RE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

const DATE_PARTS_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?/i;

/** The first year an instant may name: no PowerMTA record is older, and PostgreSQL refused year 0. */
export const MIN_YEAR = 1970;

/** Whether the calendar date and wall time written exist (Date rolls 31 November over to 1 December). */
function existingDateTime(v: string): boolean {
  const [, y, mo, d, h = '0', mi = '0', s = '0'] = DATE_PARTS_RE.exec(v) ?? [];
  const month = Number(mo);
  if (month < 1 || month > 12) return false;
  const date = new Date(0);
  date.setUTCFullYear(Number(y), month, 0); // Date.UTC reads years 0–99 as 1900–1999
  const days = date.getUTCDate();
  return Number(d) >= 1 && Number(d) <= days && Number(h) <= 23 && Number(mi) <= 59 && Number(s) <= 59;
}

/** Parses an ISO 8601 instant; a date or time without an offset is read as UTC. */
export function parseInstant(value: string, param: string): Date {
  const v = value.trim();
  if (!ISO_RE.test(v)) throw new ParamError(`${param} must be an ISO 8601 date-time, got '${value}'`, param);
  if (!existingDateTime(v))
    throw new ParamError(`${param} is not a date and time that exist: '${value}'`, param);
  if (Number(v.slice(0, 4)) < MIN_YEAR)
    throw new ParamError(`${param} must be in ${MIN_YEAR} or later, got '${value}'`, param);
  let normal = v.replace(' ', 'T');
  if (normal.length === 10) normal += 'T00:00:00Z';
  else if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(normal)) normal += 'Z';
  const d = new Date(normal.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  if (Number.isNaN(d.getTime())) throw new ParamError(`${param} is not a valid date-time: '${value}'`, param);
  return d;
}

/** An instant written by Date#toISOString in years MIN_YEAR–9999, as cursors hold them. */
export function isCursorInstant(t: unknown): t is string {
  if (typeof t !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(t)) return false;
  const ms = Date.parse(t);
  return !Number.isNaN(ms) && new Date(ms).toISOString() === t && Number(t.slice(0, 4)) >= MIN_YEAR;
}

function ceilToMinute(ms: number): number {
  return Math.ceil(ms / 60_000) * 60_000;
}

/** Reads one optional, single-valued parameter; a repeated one is an error. */
export function single(params: URLSearchParams, name: string): string | undefined {
  const all = params.getAll(name);
  if (all.length > 1) throw new ParamError(`${name} must be given once`, name);
  const v = all[0];
  if (v?.includes('\0')) throw nulError(name);
  return v === undefined || v === '' ? undefined : v;
}

/** PostgreSQL text cannot hold NUL, and no key or address has one. */
export function nulError(param: string): ParamError {
  return new ParamError(`${param} must not contain a NUL character (%00)`, param);
}

/**
 * Range presets (`range=`), used when `from` is not given. A length ends with the current minute;
 * `today` runs from the start of the day in the display zone (`tz=`) to the current minute, and
 * `yesterday` is the whole day before it, midnight to midnight (a daily report's day).
 */
export const RANGE_PRESETS = ['1h', '6h', '24h', '7d', '30d', '90d', 'today', 'yesterday'] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];
/** A range given as a calendar day of the display zone (`range=today|yesterday`). */
export type DayPreset = 'today' | 'yesterday';
type LengthPreset = Exclude<RangePreset, DayPreset>;

export const isDayPreset = (range: string | undefined): range is DayPreset =>
  range === 'today' || range === 'yesterday';
export const RANGE_MS: Record<LengthPreset, number> = {
  '1h': 3_600_000,
  '6h': 6 * 3_600_000,
  '24h': DAY,
  '7d': 7 * DAY,
  '30d': 30 * DAY,
  '90d': 90 * DAY,
};

/**
 * The window [from, to) a preset stands for at `now` in zone `tz`: a length up to the end of the
 * current minute; `today` from the zone's midnight (a DST day's midnight as PostgreSQL reads it,
 * truncateToBucket) to the end of the current minute; `yesterday` the day before, midnight to
 * midnight (23 or 25 hours on a DST change).
 */
export function presetWindow(preset: RangePreset, now: Date, tz: string): { from: Date; to: Date } {
  const endOfMinute = new Date(ceilToMinute(now.getTime() + 1));
  if (!isDayPreset(preset))
    return { from: new Date(endOfMinute.getTime() - RANGE_MS[preset]), to: endOfMinute };
  const midnight = truncateToBucket(now, 'day', tz);
  if (preset === 'today') return { from: midnight, to: endOfMinute };
  return { from: truncateToBucket(new Date(midnight.getTime() - 1), 'day', tz), to: midnight };
}

/**
 * The filter value that selects the records without the field: the "(none)" row of a breakdown,
 * whose key is '' (`vmta=(none)`: received mail not yet given a VirtualMTA, remote bounces…).
 * An empty value (`vmta=`) is no filter, as an empty form field is.
 */
export const NONE = '(none)';

/**
 * A filter's value as written in a URL: '' (the "(none)" key) as NONE; a key that a plain value
 * cannot spell (a comma, a quote, spaces at an end, or the text "(none)" itself) in double quotes,
 * a quote inside doubled, as splitFilterValues reads it back.
 */
export function filterParamValue(value: string): string {
  if (value === '') return NONE;
  if (value === NONE || /[,"]/.test(value) || value !== value.trim())
    return `"${value.replaceAll('"', '""')}"`;
  return value;
}

/**
 * The key a detail page's path segment names (/jobs/(none): the records without a job), as the
 * filters hold it. A segment in double quotes is the key as written (/jobs/"(none)": the job that
 * is named "(none)"), a quote inside doubled, as pathSegmentOfKey writes it.
 */
export function keyOfPathSegment(segment: string): string {
  if (segment === NONE) return '';
  if (segment.length >= 2 && segment.startsWith('"') && segment.endsWith('"'))
    return segment.slice(1, -1).replaceAll('""', '"');
  return segment;
}

/**
 * A key as a detail page's path segment (before URI encoding): '' as NONE, a key that NONE or a
 * quote would misread (the job named "(none)", one starting with a quote) in double quotes.
 */
export function pathSegmentOfKey(key: string): string {
  if (key === '') return NONE;
  if (key === NONE || key.startsWith('"')) return `"${key.replaceAll('"', '""')}"`;
  return key;
}

/**
 * A key as the screens show it: '' (records without the field) as NONE, and a key that is the
 * text "(none)" itself in quotes, so the two rows of a table are told apart.
 */
export function keyLabel(key: string): string {
  if (key === '') return NONE;
  return key === NONE ? `"${NONE}"` : key;
}

/**
 * The values of one filter parameter: commas separate alternatives, each trimmed; NONE is the
 * empty key. A value in double quotes is taken as written ("a,b", " x", "(none)" the job named so),
 * "" inside it being one quote.
 */
export function splitFilterValues(raw: string, param: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i <= raw.length) {
    let j = i;
    while (j < raw.length && raw[j] === ' ') j++;
    if (raw[j] === '"') {
      let value = '';
      for (j++; ; j++) {
        if (j >= raw.length) throw new ParamError(`${param} has a quote that is not closed`, param);
        if (raw[j] === '"') {
          if (raw[j + 1] !== '"') break;
          j++;
        }
        value += raw[j];
      }
      for (j++; j < raw.length && raw[j] === ' '; ) j++;
      if (j < raw.length && raw[j] !== ',')
        throw new ParamError(`${param}: a quoted value must be followed by a comma or the end`, param);
      out.push(value);
      i = j + 1;
    } else {
      const comma = raw.indexOf(',', j);
      const end = comma === -1 ? raw.length : comma;
      const value = raw.slice(j, end).trim();
      if (value !== '') out.push(value === NONE ? '' : value);
      i = end + 1;
    }
  }
  return out;
}

/**
 * Turns request search params into Filters: `from`/`to` (half-open, default the `range` preset —
 * 24 hours — up to the end of the current minute; presetWindow) and every repeatable filter (also
 * accepted comma-separated).
 */
export function parseFilters(params: URLSearchParams, now = new Date()): Filters {
  const toRaw = single(params, 'to');
  const fromRaw = single(params, 'from');
  const range = parseChoice(params, 'range', RANGE_PRESETS, '24h');
  const toGiven = toRaw ? parseInstant(toRaw, 'to') : null;
  let from: Date;
  let to: Date;
  if (fromRaw) {
    from = parseInstant(fromRaw, 'from');
    to = toGiven ?? new Date(ceilToMinute(now.getTime() + 1));
  } else if (isDayPreset(range)) {
    // A day preset needs the zone its days are in (only then is `tz` checked here). With a `to`,
    // it is taken as if now were `to`: `range=yesterday&to=…` is the day before the one `to` is
    // in, `range=today&to=…` runs from the last midnight before `to` to it.
    const at = toGiven ? new Date(toGiven.getTime() - (range === 'today' ? 1 : 0)) : now;
    const window = presetWindow(range, at, parseTimeZone(params));
    from = window.from;
    to = range === 'today' && toGiven ? toGiven : window.to;
  } else {
    to = toGiven ?? new Date(ceilToMinute(now.getTime() + 1));
    from = new Date(to.getTime() - RANGE_MS[range]);
  }
  if (from.getTime() >= to.getTime()) throw new ParamError('from must be before to', 'from');
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY) {
    throw new ParamError(`the range may span at most ${MAX_RANGE_DAYS} days`, 'from');
  }
  const filters = windowOnly(from, to);
  for (const name of FILTER_PARAMS) filters[name] = parseFilterValues(params, name);
  const tz = single(params, 'tz');
  if (tz) filters.tz = tz;
  return filters;
}

/** The values of one filter parameter, repeated or comma-separated, each checked. */
export function parseFilterValues(params: URLSearchParams, name: FilterParam): string[] {
  const values = params.getAll(name).flatMap((v) => splitFilterValues(v, name));
  if (values.some((v) => v.length > 500))
    throw new ParamError(`${name} values must be at most 500 characters`, name);
  if (values.length > 100) throw new ParamError(`at most 100 ${name} values`, name);
  if (values.some((v) => v.includes('\0'))) throw nulError(name);
  // A domain as the ingest stores it: lower case, IDN as Unicode (xn--bcher-kva.de is bücher.de).
  return values.map((v) => (name === 'domain' && v !== '' ? normaliseDomain(v) : v));
}

/** The window [from, to) with only the dimension filters in `set` (none by default). */
export function windowOnly(from: Date, to: Date, set: Partial<Record<FilterParam, string[]>> = {}): Filters {
  const filters = { from, to } as Filters;
  for (const name of FILTER_PARAMS) filters[name] = set[name] ?? [];
  return filters;
}

/** Validates an enumerated parameter against a fixed list (values that reach SQL structure). */
export function parseChoice<T extends string>(
  params: URLSearchParams,
  name: string,
  choices: readonly T[],
  fallback?: T,
): T {
  const v = single(params, name);
  if (v === undefined) {
    if (fallback !== undefined) return fallback;
    throw new ParamError(`${name} is required (one of ${choices.join(', ')})`, name);
  }
  const parsed = z.enum(choices as unknown as [T, ...T[]]).safeParse(v);
  if (!parsed.success) throw new ParamError(`${name} must be one of ${choices.join(', ')}, got '${v}'`, name);
  return parsed.data;
}

export function parseLimit(params: URLSearchParams, fallback: number, max: number): number {
  const v = single(params, 'limit');
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > max) {
    throw new ParamError(`limit must be a whole number from 1 to ${max}`, 'limit');
  }
  return Number(v);
}

function validZone(tz: string | undefined): string | undefined {
  if (!tz) return undefined;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: tz }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** The zone `v` names, resolved by ICU, when it is an IANA name (Region/City, Etc/…, UTC, GMT). */
export function ianaZone(v: string): string | undefined {
  return v.includes('/') || /^(?:UTC|GMT)$/i.test(v) ? validZone(v) : undefined;
}

/**
 * The display zone when a request names none: the server's TZ setting (parseEnv refuses one
 * that is not an IANA name), else UTC.
 */
export const DEFAULT_TIME_ZONE = (process.env.TZ && ianaZone(process.env.TZ)) || 'UTC';

/**
 * Validates an IANA time zone name: Region/City (or Etc/…), UTC or GMT. Abbreviations are refused:
 * ICU and PostgreSQL read them differently (BST is Dhaka to ICU, British Summer Time to
 * PostgreSQL; IST is Kolkata or Israel), so the buckets would not be the zone the user meant.
 */
export function parseTimeZone(params: URLSearchParams, fallback = DEFAULT_TIME_ZONE): string {
  const v = single(params, 'tz') ?? fallback;
  const resolved = ianaZone(v);
  if (!resolved) {
    throw new ParamError(`tz must be an IANA time zone name such as Europe/Paris, or UTC, got '${v}'`, 'tz');
  }
  // The zone as written, unless only its case differs: ICU names some zones by their old alias
  // (Asia/Kolkata resolves to Asia/Calcutta), and a screen should say the name the user chose.
  return resolved.toLowerCase() === v.toLowerCase() ? resolved : v;
}

/**
 * ICU (browsers, Node) still names some zones by the alias IANA retired: a browser in India reports
 * Asia/Calcutta, one in Kyiv Europe/Kiev, and Intl.supportedValuesOf lists those names. The zone
 * selector says the current name, which PostgreSQL and ICU both accept.
 */
const CURRENT_ZONE_NAMES: Record<string, string> = {
  'Africa/Asmera': 'Africa/Asmara',
  'America/Buenos_Aires': 'America/Argentina/Buenos_Aires',
  'America/Catamarca': 'America/Argentina/Catamarca',
  'America/Coral_Harbour': 'America/Atikokan',
  'America/Cordoba': 'America/Argentina/Cordoba',
  'America/Godthab': 'America/Nuuk',
  'America/Indianapolis': 'America/Indiana/Indianapolis',
  'America/Jujuy': 'America/Argentina/Jujuy',
  'America/Louisville': 'America/Kentucky/Louisville',
  'America/Mendoza': 'America/Argentina/Mendoza',
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Rangoon': 'Asia/Yangon',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
  'Europe/Kiev': 'Europe/Kyiv',
  'Pacific/Enderbury': 'Pacific/Kanton',
  'Pacific/Ponape': 'Pacific/Pohnpei',
  'Pacific/Truk': 'Pacific/Chuuk',
};

/** The current IANA name of zone `tz` where ICU gives a retired alias (Asia/Calcutta → Asia/Kolkata). */
export const currentZoneName = (tz: string): string => CURRENT_ZONE_NAMES[tz] ?? tz;

const sqlZones = new Map<string, string>();

/**
 * The name of zone `tz` given to PostgreSQL: ICU's canonical name, which the bucketing in
 * JavaScript follows too. PostgreSQL knows every such name, but not every alias ICU accepts
 * (US/Pacific-New, removed from the tz database, was a 500).
 */
export function sqlTimeZone(tz: string): string {
  let name = sqlZones.get(tz);
  if (name === undefined) {
    name = validZone(tz) ?? tz;
    if (sqlZones.size < 1000) sqlZones.set(tz, name);
  }
  return name;
}
