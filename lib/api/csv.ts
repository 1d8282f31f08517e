import { parseChoice } from '../filters.ts';

/** One CSV field per RFC 4180: quoted when it holds a comma, a quote, CR or LF; quotes doubled. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** A CSV document: a header row, then one row per item; CRLF line ends as RFC 4180 says. */
export function toCsv<T>(
  columns: readonly { name: string; value: (item: T) => unknown }[],
  items: readonly T[],
) {
  const lines = [columns.map((c) => csvField(c.name)).join(',')];
  for (const item of items) lines.push(columns.map((c) => csvField(c.value(item))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/**
 * Whether an endpoint that speaks both should answer CSV: `format=csv`, or no `format` and an
 * Accept header asking for text/csv. A `format` other than json or csv is a bad parameter.
 */
export function wantsCsv(params: URLSearchParams, accept: string | null): boolean {
  if (params.has('format')) return parseChoice(params, 'format', ['json', 'csv']) === 'csv';
  return /\btext\/csv\b/i.test(accept ?? '');
}
