import Papa from 'papaparse';
import { buildColumnMap, type ColumnMap, isHeaderRow, storableHeader } from './header.ts';
import { normaliseFields } from './normalise.ts';
import { splitCsvRecord } from './split-fields.ts';
import type { ParsedLine, RawLine } from './types.ts';

export interface ParseLinesResult {
  parsed: ParsedLine[];
  /** The header in effect after the batch; the caller checkpoints it with the offset. */
  header: string[] | null;
}

const PAPA_CONFIG: Papa.ParseConfig<string[]> = {
  header: false,
  delimiter: ',', // never auto-detect: a batch of odd rows must not flip the delimiter
  newline: '\n',
  quoteChar: '"',
  escapeChar: '"',
  skipEmptyLines: false,
  dynamicTyping: false,
};

// Files of one site share a handful of headers; the map is built once per distinct header.
const MAX_CACHED_MAPS = 64;
const columnMaps = new Map<string, ColumnMap>();

function columnMapFor(header: readonly string[]): ColumnMap {
  const key = header.join('\u0000');
  let map = columnMaps.get(key);
  if (!map) {
    if (columnMaps.size >= MAX_CACHED_MAPS) columnMaps.clear();
    map = buildColumnMap(header);
    columnMaps.set(key, map);
  }
  return map;
}

/** Fields of a row, or why the record could not be read as CSV. */
type RowResult = string[] | string;

function describePapaError(error: Papa.ParseError): string {
  if (error.code === 'MissingQuotes') return 'unterminated quoted field (unbalanced quote)';
  return `malformed CSV: ${error.message}`;
}

/** Parses one record alone, so a broken one is pinned to its own line. */
function parseSingle(text: string): RowResult {
  const result = Papa.parse<string[]>(text, PAPA_CONFIG);
  if (result.errors.length > 0) return describePapaError(result.errors[0]);
  if (result.data.length !== 1) return `malformed quoting: record reads as ${result.data.length} rows`;
  return result.data[0];
}

// Rows are parsed in slices: one Papa.parse per slice keeps the speed of a single call, while each
// slice's row arrays become garbage before the next is parsed instead of surviving the whole batch
// (young-generation GC cost grows with what survives).
const SLICE_ROWS = 512;

/**
 * Parses lines [from, to) in one Papa.parse call (much faster than one call per record). Only when
 * the rows do not line up one-to-one with the records, or Papa reports an error, is it redone per
 * record: a bad quote can make Papa merge or split records in the joined text.
 */
function parseRows(lines: readonly RawLine[], from: number, to: number): RowResult[] {
  // Fast path: strictly well-formed records split by hand (exactly papaparse's fields on such
  // input); if any record is irregular, the whole slice goes through papaparse as before.
  const fast: RowResult[] = new Array(to - from);
  let allFast = true;
  for (let i = from; i < to; i++) {
    const fields = splitCsvRecord(lines[i].text);
    if (fields === null) {
      allFast = false;
      break;
    }
    fast[i - from] = fields;
  }
  if (allFast) return fast;
  let joined = lines[from].text;
  for (let i = from + 1; i < to; i++) joined += `\n${lines[i].text}`;
  const result = Papa.parse<string[]>(joined, PAPA_CONFIG);
  if (result.errors.length === 0 && result.data.length === to - from) return result.data;
  const rows: RowResult[] = [];
  for (let i = from; i < to; i++) rows.push(parseSingle(lines[i].text));
  return rows;
}

/**
 * Parses a batch of complete records. Header rows switch the column map for the rows after them
 * (a file or a restarted pipe starts with one) and are reported, never ingested. `header` is the
 * header in effect before the batch (from the caller's checkpoint), null at the start of a file.
 */
export function parseLines(lines: readonly RawLine[], header: string[] | null): ParseLinesResult {
  const parsed: ParsedLine[] = new Array(lines.length);
  let current = header;
  let map = header ? columnMapFor(header) : null;
  for (let from = 0; from < lines.length; from += SLICE_ROWS) {
    const to = Math.min(from + SLICE_ROWS, lines.length);
    const rows = parseRows(lines, from, to);
    for (let i = from; i < to; i++) {
      const line = lines[i];
      const fields = rows[i - from];
      if (typeof fields === 'string') {
        parsed[i] = { kind: 'reject', line, reason: fields };
        continue;
      }
      if (isHeaderRow(fields)) {
        current = storableHeader(fields);
        map = columnMapFor(current);
        parsed[i] = { kind: 'header', line, columns: current };
        continue;
      }
      if (map === null) {
        parsed[i] = { kind: 'reject', line, reason: 'no header row before this record' };
        continue;
      }
      const result = normaliseFields(fields, map);
      parsed[i] =
        typeof result === 'string'
          ? { kind: 'reject', line, reason: result }
          : { kind: 'record', line, record: result };
    }
  }
  return { parsed, header: current };
}
