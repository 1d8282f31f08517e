/** The eight PowerMTA accounting record types (first column of every row). */
export const RECORD_TYPES = ['d', 'b', 't', 'tq', 'r', 'f', 'rb', 'rs'] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

/** API count keys, one per record type (architecture.md, HTTP API v1). */
export const COUNT_KEYS = {
  d: 'delivered',
  b: 'bounced',
  t: 'deferred',
  tq: 'queueDeferred',
  f: 'complaints',
  r: 'received',
  rb: 'remoteBounced',
  rs: 'remoteStatus',
} as const satisfies Record<RecordType, string>;
export type CountKey = (typeof COUNT_KEYS)[RecordType];
export type Counts = Record<CountKey, number>;

/**
 * One accounting record after parsing and normalisation: the typed fields the product uses.
 * Empty CSV values become null. Every column not mapped to a typed field (header_*, arf_*,
 * userAgent, format, unknown ones …) is kept verbatim in `extra`, keyed by its header name.
 * The standard columns present on nearly every row are typed: parsing a jsonb per row costs
 * PostgreSQL a third of the insert.
 */
export interface AcctRecord {
  type: RecordType;
  timeLogged: Date;
  timeQueued: Date | null;
  orig: string | null;
  rcpt: string | null;
  /** Lower-case, IDN shown as Unicode; for `tq` the domain part of `queue`; '' when unknown. */
  rcptDomain: string;
  /** Mailbox provider group (e.g. 'Google', 'Yahoo', 'Microsoft'), 'Other' when unmapped. */
  provider: string;
  dsnAction: string | null;
  dsnStatus: string | null;
  dsnDiag: string | null;
  dsnMta: string | null;
  bounceCat: string | null;
  dlvSourceIp: string | null;
  dlvDestinationIp: string | null;
  dlvSize: number | null;
  vmta: string | null;
  vmtaPool: string | null;
  jobId: string | null;
  envId: string | null;
  queue: string | null;
  feedbackType: string | null;
  reportingMta: string | null;
  orcpt: string | null;
  srcType: string | null;
  srcMta: string | null;
  dlvType: string | null;
  dlvEsmtpAvailable: string | null;
  extra: Record<string, string>;
}

/** A complete physical record (one CSV row, possibly spanning lines) and where it sits in its file. */
export interface RawLine {
  /** Byte offset of the first byte of the record in the file. */
  offset: number;
  /** Byte offset just past the record's terminating newline. */
  end: number;
  /** The record's text without its line terminator (UTF-8 decoded, BOM stripped). */
  text: string;
}

export type ParsedLine =
  | { kind: 'header'; line: RawLine; columns: string[] }
  | { kind: 'record'; line: RawLine; record: AcctRecord }
  | { kind: 'reject'; line: RawLine; reason: string };
