import { parseChoice } from '../filters.ts';

/**
 * What a spreadsheet reads as the start of a formula (OWASP's list for CSV injection): a
 * diagnostic is text from a remote server, and `=HYPERLINK(…)` in it would run as a formula.
 */
const FORMULA_START = /^[=+\-@\t\r\n]/;

/**
 * One CSV field per RFC 4180: quoted when it holds a comma, a quote, CR or LF; quotes doubled. A
 * string that a spreadsheet would read as a formula gets a leading `'` (a spreadsheet shows the
 * rest as text), unless `verbatim` says this string is safe as it is. Numbers are written as they
 * are, negative ones included.
 */
export function csvField(value: unknown, verbatim?: (text: string) => boolean): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (typeof value === 'string' && FORMULA_START.test(s) && !verbatim?.(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/**
 * A plain e-mail address: one `@`, and none of the characters a formula call or a DDE link needs
 * (spaces, quotes, parentheses, commas, semicolons, `|`, `!`). `-news@example.com` and
 * `+1@example.com` are such addresses: a `'` before them would make a list database miss them.
 */
export function isPlainAddress(text: string): boolean {
  return /^[^\s"'(),:;<>[\\\]|!@]+@[^\s"'(),:;<>[\\\]|!@]+$/.test(text);
}

/** A CSV column: its header, its value per item, and which strings it writes as they are (csvField). */
export interface CsvColumn<T> {
  name: string;
  value: (item: T) => unknown;
  verbatim?: (text: string) => boolean;
}

/** The header row of a CSV document, with its CRLF line end (RFC 4180). */
export function csvHeader<T>(columns: readonly CsvColumn<T>[]): string {
  return `${columns.map((c) => csvField(c.name)).join(',')}\r\n`;
}

/** One item's row of a CSV document, with its CRLF line end. */
export function csvRow<T>(columns: readonly CsvColumn<T>[], item: T): string {
  return `${columns.map((c) => csvField(c.value(item), c.verbatim)).join(',')}\r\n`;
}

/** A CSV document: a header row, then one row per item (a stream writes the same rows). */
export function toCsv<T>(columns: readonly CsvColumn<T>[], items: readonly T[]) {
  return csvHeader(columns) + items.map((item) => csvRow(columns, item)).join('');
}

/**
 * Whether an endpoint that speaks both should answer CSV: `format=csv`, or no `format` and an
 * Accept header asking for text/csv. A `format` other than json or csv is a bad parameter.
 */
export function wantsCsv(params: URLSearchParams, accept: string | null): boolean {
  if (params.has('format')) return parseChoice(params, 'format', ['json', 'csv']) === 'csv';
  return /\btext\/csv\b/i.test(accept ?? '');
}

/**
 * A CSV download's file name for a window: `prefix-YYYYMMDDTHHMMZ-YYYYMMDDTHHMMZ.csv` (UTC), so the
 * exports of different days (a daily report) are told apart and do not overwrite each other. The Z
 * says the times are UTC: Berlin's 7 December was `20261206T2300-20261207T2300`, read as 6 December
 * 23:00 wherever the file was opened (QA).
 */
export function windowFileName(prefix: string, from: Date, to: Date): string {
  const stamp = (d: Date) => `${d.toISOString().slice(0, 16).replace(/[-:]/g, '')}Z`;
  return `${prefix}-${stamp(from)}-${stamp(to)}.csv`;
}
