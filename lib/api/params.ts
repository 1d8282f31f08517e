import { FILTER_PARAMS, ParamError, parseTimeZone } from '../filters.ts';

/**
 * The window and dimension filters every stats endpoint reads (parseFilters), and `tz` (which
 * apiParams accepts on every endpoint).
 */
export const WINDOW_PARAMS = ['from', 'to', 'range', 'tz', ...FILTER_PARAMS] as const;
/**
 * … and the chart parameter of an endpoint with a time series (parseScreen). A screen's `refresh`
 * is not one: the bounces, reasons and latency endpoints took it, where every other one answered
 * 400 (QA).
 */
export const SERIES_PARAMS = [...WINDOW_PARAMS, 'bucket'] as const;
/** The records endpoint's parameters: the explorer's own filters, and pages or CSV. */
export const RECORDS_PARAMS = [
  ...WINDOW_PARAMS,
  'type',
  'rcpt',
  'queue',
  'q',
  'diag',
  'template',
  'dsnCode',
  'suppression',
  'latency',
  'latencyOver',
  'fileId',
  'limit',
  'cursor',
  'format',
] as const;

function notUtf8(name: string): ParamError {
  return new ParamError(`${name} is not valid UTF-8 (a percent-escape of bytes that are not text)`, name);
}

function decode(raw: string): string {
  return decodeURIComponent(raw.replaceAll('+', ' '));
}

/**
 * The query of an API request, checked before anything reads it:
 * - a name this endpoint does not read is a 400, so a misspelt filter (`vmtas=`, `Domain=`) is
 *   not silently an unfiltered answer;
 * - `tz` is taken by every endpoint, checked as an IANA zone even where nothing depends on it:
 *   clients send their zone with every request, and the screens carry it to the incidents,
 *   suppressions and ingest status, whose API answered 400 to the same query (QA);
 * - a percent-escape that is not UTF-8 (`%FF`) is a 400: URLSearchParams would turn it into
 *   U+FFFD and the query would run for a value nobody asked for.
 */
export function apiParams(url: URL, reads: readonly string[]): URLSearchParams {
  const allowed = reads.includes('tz') ? reads : [...reads, 'tz'];
  for (const pair of url.search.slice(1).split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const rawName = eq === -1 ? pair : pair.slice(0, eq);
    let name: string;
    try {
      name = decode(rawName);
    } catch {
      throw new ParamError(`parameter name '${rawName}' is not valid UTF-8`, rawName);
    }
    // Before the name is looked up: `?%FF=1` arrives as U+FFFD and read "unknown parameter '�'".
    if (name.includes('\uFFFD')) throw new ParamError(`parameter name '${name}' is not valid UTF-8`, name);
    if (!allowed.includes(name)) {
      const like = allowed.find((a) => a.toLowerCase() === name.toLowerCase());
      throw new ParamError(
        like
          ? `unknown parameter '${name}'; did you mean '${like}'? (names are case-sensitive)`
          : `unknown parameter '${name}'; this endpoint takes ${allowed.join(', ')}`,
        name,
      );
    }
    try {
      decode(eq === -1 ? '' : pair.slice(eq + 1));
    } catch {
      throw notUtf8(name);
    }
  }
  // Next.js hands the handler a URL it has decoded and encoded again: bytes that were not UTF-8
  // arrive as U+FFFD, the replacement character. No key, address or time holds one; a diagnostic
  // may (the ingest stores undecodable bytes so), so `diag` and `q`, which match that text, may too.
  for (const [name, value] of url.searchParams) {
    if (value.includes('\uFFFD') && name !== 'diag' && name !== 'q') throw notUtf8(name);
  }
  if (url.searchParams.has('tz')) parseTimeZone(url.searchParams);
  return url.searchParams;
}
