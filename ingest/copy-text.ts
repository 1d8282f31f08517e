// Encodes values for PostgreSQL's COPY text format: one row per line, tab-separated, \N for null.
// https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.2
// This is the ingest's hot path (one call per field of every record): no per-row arrays, one
// cheap test per string, and timestamps formatted once per distinct second.

const SPECIAL = /[\\\n\r\t\0]/;

function escapeText(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') out += '\\\\';
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (c === '\0')
      continue; // PostgreSQL text cannot hold NUL; PowerMTA never writes one
    else out += c;
  }
  return out;
}

/** A text value (or \N for null), escaped for COPY. */
export function copyText(v: string | null | undefined): string {
  if (v === null || v === undefined) return '\\N';
  return SPECIAL.test(v) ? escapeText(v) : v;
}

export function copyNumber(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '\\N' : String(v);
}

/**
 * ISO 8601 UTC for COPY. Records come in time order, so a one-entry cache per column (timeLogged,
 * timeQueued) turns most calls into a comparison.
 */
export function createDateEncoder(): (d: Date | null | undefined) => string {
  let lastMs = Number.NaN;
  let lastIso = '';
  return (d) => {
    if (!d) return '\\N';
    const ms = d.getTime();
    if (ms !== lastMs) {
      lastMs = ms;
      lastIso = d.toISOString();
    }
    return lastIso;
  };
}
