/** Columns normalised into typed AcctRecord fields (everything else goes to `extra`). */
export const TYPED_FIELDS = [
  'timeLogged',
  'timeQueued',
  'orig',
  'rcpt',
  'dsnAction',
  'dsnStatus',
  'dsnDiag',
  'dsnMta',
  'bounceCat',
  'dlvSourceIp',
  'dlvDestinationIp',
  'dlvSize',
  'vmta',
  'vmtaPool',
  'jobId',
  'envId',
  'queue',
  'feedbackType',
  'reportingMta',
  'orcpt',
  'srcType',
  'srcMta',
  'dlvType',
  'dlvEsmtpAvailable',
] as const;

/**
 * Documented PowerMTA columns that stay in `extra` but are located by canonical name, so that the
 * code can read them whatever their case in this file's header (e.g. `userAgent` for complaints).
 */
export const EXTRA_FIELDS = [
  'userAgent',
  'repSourceIp',
  'format',
  'reportedDomain',
  'dsnReportingMta',
  'timeImprinted',
  'timeFirstAttempt',
  'totalSecondsQueued',
  'userString',
  'dlvTlsProtocol',
  'dlvTlsCipher',
  'rcvSmtpUser',
  'rcvSourceIp',
  'rcvDestinationIp',
] as const;

export type TypedField = (typeof TYPED_FIELDS)[number];
export type KnownField = TypedField | (typeof EXTRA_FIELDS)[number];

/** Column positions for one header, computed once so per-row work is index lookups only. */
export interface ColumnMap {
  readonly columns: readonly string[];
  /** Column index of each known field, -1 when the header does not have it. */
  readonly index: Readonly<Record<KnownField, number>>;
  /** Names (as written in the header) and indexes of the columns kept in `extra`, in header order. */
  readonly extraNames: readonly string[];
  readonly extraIndexes: readonly number[];
  /**
   * The column named `__proto__` kept in `extra` (its index in the row), -1 if none: assigned as
   * the others, it set the object's prototype (a string: ignored) and the column was lost.
   */
  readonly protoColumn: number;
  /**
   * The `header_X-Job` column (any case), -1 if none: FBL reports carry the original message's
   * job header, which is how a complaint (no jobId of its own) finds its job.
   */
  readonly jobHeader: number;
}

const KNOWN_FIELDS: readonly KnownField[] = [...TYPED_FIELDS, ...EXTRA_FIELDS];
const TYPED_SET: ReadonlySet<string> = new Set(TYPED_FIELDS);

/** A row whose first field is `type` is a header (pipes repeat it on restart). */
export function isHeaderRow(fields: readonly string[]): boolean {
  const first = fields[0];
  return first !== undefined && first.length >= 4 && first.trim().toLowerCase() === 'type';
}

/**
 * The header's column names as PostgreSQL can hold them: a NUL byte, which neither its text (the
 * checkpoint's header) nor its jsonb (`extra`, keyed by name) can hold, shows as ␀ (U+2400), as in
 * a reject's text. Such a name made every batch under the header fail, the records' rejects too.
 */
export function storableHeader(columns: string[]): string[] {
  if (!columns.some((c) => c.includes('\0'))) return columns;
  return columns.map((c) => c.replaceAll('\0', '\u2400'));
}

function findColumn(columns: readonly string[], field: string): number {
  const exact = columns.indexOf(field); // first one wins over later duplicates
  if (exact !== -1) return exact;
  // Versions differ in case (`envid`, `reportingMTA`, `dsnReportingMTA`).
  const lower = field.toLowerCase();
  return columns.findIndex((c) => c.toLowerCase() === lower);
}

/** Maps a header row (column 0 is `type`) to field positions; see ColumnMap. */
export function buildColumnMap(header: readonly string[]): ColumnMap {
  const columns = header.map((c) => c.trim());
  const index = {} as Record<KnownField, number>;
  const typedColumns = new Set<number>([0]);
  for (const field of KNOWN_FIELDS) {
    const i = findColumn(columns, field);
    index[field] = i > 0 ? i : -1;
    if (i > 0 && TYPED_SET.has(field)) typedColumns.add(i);
  }
  const extraNames: string[] = [];
  const extraIndexes: number[] = [];
  const seen = new Set<string>();
  for (let i = 1; i < columns.length; i++) {
    if (typedColumns.has(i)) continue;
    // An unnamed column (e.g. a trailing comma in the header) is keyed like a surplus value.
    const name = columns[i] === '' ? `_col${i}` : columns[i];
    if (seen.has(name) || TYPED_SET.has(name)) continue; // duplicate column: the first is kept
    seen.add(name);
    extraNames.push(name);
    extraIndexes.push(i);
  }
  const jobHeader = columns.findIndex((c, i) => i > 0 && c.toLowerCase() === 'header_x-job');
  const protoColumn = extraIndexes[extraNames.indexOf('__proto__')] ?? -1;
  return { columns, index, extraNames, extraIndexes, protoColumn, jobHeader };
}
