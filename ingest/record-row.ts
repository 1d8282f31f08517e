import type { AcctRecord } from '../lib/acct/types.ts';
import { type CopyBinaryWriter, INT4_MAX } from './copy-binary.ts';
import { DIM_SEP } from './insights.ts';

/** acct_record columns in the order recordRow writes them. */
export const RECORD_COLUMNS = [
  'time_logged',
  'file_id',
  'byte_offset',
  'source',
  'type',
  'time_queued',
  'orig',
  'rcpt',
  'rcpt_domain',
  'provider',
  'dsn_action',
  'dsn_status',
  'dsn_diag',
  'dsn_mta',
  'bounce_cat',
  'dlv_source_ip',
  'dlv_destination_ip',
  'dlv_size',
  'vmta',
  'vmta_pool',
  'job_id',
  'env_id',
  'queue',
  'feedback_type',
  'reporting_mta',
  'orcpt',
  'src_type',
  'src_mta',
  'dlv_type',
  'dlv_esmtp_available',
  'extra',
  'diag_key',
];

/** The type of each column in RECORD_COLUMNS, as decodeCopyBinary reads them. */
export const RECORD_COLUMN_TYPES = RECORD_COLUMNS.map((c) => {
  if (c === 'time_logged' || c === 'time_queued') return 'timestamptz' as const;
  if (c === 'file_id' || c === 'dlv_size') return 'int4' as const;
  if (c === 'byte_offset') return 'int8' as const;
  if (c === 'extra') return 'jsonb' as const;
  return 'text' as const;
});

/**
 * Writes one acct_record row in COPY binary format (RECORD_COLUMNS order): no escaping, no text
 * for PostgreSQL to parse back into timestamps and numbers. `diagKey`: the template key of its
 * diagnostic (hex or ''), null for types without reasons. The caller has checked that dlvSize fits
 * an int4 (recordRowProblem).
 */
export function writeRecordRow(
  w: CopyBinaryWriter,
  fileId: number,
  source: string,
  offset: number,
  r: AcctRecord,
  diagKey: string | null = null,
): void {
  w.row(RECORD_COLUMNS.length)
    .timestamptz(r.timeLogged.getTime())
    .int4(fileId)
    .int8(offset)
    .text(source)
    .text(r.type)
    .timestamptzOrNull(r.timeQueued)
    .textOrNull(r.orig)
    .textOrNull(r.rcpt)
    .text(r.rcptDomain)
    .text(r.provider)
    .textOrNull(r.dsnAction)
    .textOrNull(r.dsnStatus)
    .textOrNull(r.dsnDiag)
    .textOrNull(r.dsnMta)
    .textOrNull(r.bounceCat)
    .textOrNull(r.dlvSourceIp)
    .textOrNull(r.dlvDestinationIp)
    .int4OrNull(r.dlvSize)
    .textOrNull(r.vmta)
    .textOrNull(r.vmtaPool)
    .textOrNull(r.jobId)
    .textOrNull(r.envId)
    .textOrNull(r.queue)
    .textOrNull(r.feedbackType)
    .textOrNull(r.reportingMta)
    .textOrNull(r.orcpt)
    .textOrNull(r.srcType)
    .textOrNull(r.srcMta)
    .textOrNull(r.dlvType)
    .textOrNull(r.dlvEsmtpAvailable);
  let json = '{}';
  for (const _ in r.extra) {
    json = JSON.stringify(r.extra);
    break;
  }
  w.jsonb(json).textOrNull(diagKey);
}

/**
 * The longest recipient address stored, in UTF-8 bytes. The suppression indexes hold it, and a
 * B-tree entry cannot exceed ~2,700 bytes: a longer one made PostgreSQL refuse the whole batch
 * (not a data error), and the worker retried it for ever. An address has at most 254 characters
 * (RFC 5321), so a longer value is a damaged line.
 */
export const MAX_RCPT_BYTES = 1024;

/**
 * The longest value of a dimension stored, in UTF-8 bytes. Dimension tuples are unique keys of
 * the rollups' dictionaries (and the recipient domain and provider are indexed on the raw rows):
 * together they must fit one B-tree entry. A domain name has at most 253 characters; VirtualMTA,
 * pool and job names, queues and bounce categories are short names too.
 */
export const MAX_KEY_BYTES = 255;

/** How long `v` is in UTF-8 when that is more than `max` bytes, else null (cheap for short text). */
function bytesOver(v: string | null, max: number): number | null {
  if (v === null || v.length * 3 <= max) return null;
  const n = Buffer.byteLength(v, 'utf8');
  return n > max ? n : null;
}

/** Why the record cannot be stored as it is (a value its column cannot hold), or null. */
export function recordRowProblem(r: AcctRecord): string | null {
  if (r.dlvSize !== null && Number.isFinite(r.dlvSize) && r.dlvSize > INT4_MAX)
    return `dlvSize ${r.dlvSize} does not fit the dlv_size column (integer, at most ${INT4_MAX})`;
  const rcptBytes = bytesOver(r.rcpt, MAX_RCPT_BYTES);
  if (rcptBytes !== null)
    return `rcpt is ${rcptBytes} bytes long; an address is at most ${MAX_RCPT_BYTES} bytes here`;
  return null;
}

/** The record's values that go into the rollups' dictionary keys, joined there with DIM_SEP. */
const KEY_FIELDS = [
  'rcptDomain',
  'provider',
  'vmta',
  'vmtaPool',
  'dlvSourceIp',
  'jobId',
  'bounceCat',
  'queue',
] as const;

/**
 * Why the record cannot be counted: a value of its dimensions holds U+0001, which joins them into
 * the dictionary keys (a tuple with one field too many would fail its whole batch, and the file
 * would stop there), or is longer than MAX_KEY_BYTES (the tuple would not fit its unique index,
 * and the worker would retry the batch for ever). PowerMTA writes neither; such a line is damaged,
 * so it is a reject.
 */
export function keyFieldProblem(r: AcctRecord): string | null {
  for (const field of KEY_FIELDS) {
    const v = r[field];
    if (v?.includes(DIM_SEP)) return `${field} holds the control character U+0001`;
    const bytes = bytesOver(v, MAX_KEY_BYTES);
    if (bytes !== null) return `${field} is ${bytes} bytes long; at most ${MAX_KEY_BYTES} are counted`;
  }
  return null;
}
