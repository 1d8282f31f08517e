// Encodes values for PostgreSQL's COPY text format: one row per line, tab-separated, \N for null.
// https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.2

const SPECIAL = /[\\\n\r\t\0]/;

function escapeText(s: string): string {
  if (!SPECIAL.test(s)) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') out += '\\\\';
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (c === '\0') continue; // PostgreSQL text cannot hold NUL; PowerMTA never writes one
    else out += c;
  }
  return out;
}

export type CopyValue = string | number | Date | null | undefined;

export function copyValue(v: CopyValue): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '\\N';
  if (v instanceof Date) return v.toISOString();
  return escapeText(v);
}

export function copyRow(values: CopyValue[]): string {
  let line = copyValue(values[0]);
  for (let i = 1; i < values.length; i++) line += `\t${copyValue(values[i])}`;
  return `${line}\n`;
}
