import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Test helper: splits RFC 4180 text into records (quoted fields may hold commas, quotes, breaks). */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      fields.push(field);
      records.push(fields);
      fields = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || fields.length > 0) {
    fields.push(field);
    records.push(fields);
  }
  return records;
}

/** Epoch ms of `YYYY-MM-DD HH:MM:SS±hhmm`. */
export function parseAcctTime(value: string): number {
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})([+-]\d{2})(\d{2})$/.exec(value);
  if (!m) throw new Error(`bad time ${value}`);
  return Date.parse(`${m[1]}T${m[2]}${m[3]}:${m[4]}`);
}

export interface AcctFile {
  name: string;
  text: string;
  header: string[];
  rows: Record<string, string>[];
  /** Field counts per data row, to check each row has exactly the header's columns. */
  widths: number[];
}

export function readAcctFiles(dir: string): AcctFile[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.csv'))
    .sort()
    .map((name) => {
      const text = readFileSync(join(dir, name), 'utf8');
      const [header, ...records] = parseCsv(text);
      const rows = records.map((fields) =>
        Object.fromEntries(header.map((col, i) => [col, fields[i] ?? ''])),
      );
      return { name, text, header, rows, widths: records.map((r) => r.length) };
    });
}
