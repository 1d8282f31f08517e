import type { AcctRecord } from '../lib/acct/types.ts';
import { copyNumber, copyText, createDateEncoder } from './copy-text.ts';

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

const encodeLogged = createDateEncoder();
const encodeQueued = createDateEncoder();

const plain = (v: string | null) => (v === null ? '\\N' : v);

/**
 * One acct_record row in COPY text format (`source` already escaped). `clean`: the record's CSV
 * text holds none of the characters COPY escapes (tab, backslash, CR, LF, NUL), so no field
 * parsed from it can either and the per-field escaping is skipped (the common case). `diagKey`:
 * the template key of its diagnostic (hex or '', never escaped), null for types without reasons.
 */
export function recordRow(
  fileId: number,
  source: string,
  offset: number,
  r: AcctRecord,
  clean = false,
  diagKey: string | null = null,
): string {
  const t = clean ? plain : copyText;
  const extra = r.extra;
  let json = '{}';
  for (const _ in extra) {
    json = copyText(JSON.stringify(extra)); // JSON escapes may add backslashes: always escaped
    break;
  }
  return `${encodeLogged(r.timeLogged)}\t${fileId}\t${offset}\t${source}\t${r.type}\t${encodeQueued(r.timeQueued)}\t${t(
    r.orig,
  )}\t${t(r.rcpt)}\t${copyText(r.rcptDomain)}\t${copyText(r.provider)}\t${t(r.dsnAction)}\t${t(r.dsnStatus)}\t${t(
    r.dsnDiag,
  )}\t${t(r.dsnMta)}\t${t(r.bounceCat)}\t${t(r.dlvSourceIp)}\t${t(r.dlvDestinationIp)}\t${copyNumber(r.dlvSize)}\t${t(
    r.vmta,
  )}\t${t(r.vmtaPool)}\t${t(r.jobId)}\t${t(r.envId)}\t${t(r.queue)}\t${t(r.feedbackType)}\t${t(r.reportingMta)}\t${t(
    r.orcpt,
  )}\t${t(r.srcType)}\t${t(r.srcMta)}\t${t(r.dlvType)}\t${t(r.dlvEsmtpAvailable)}\t${json}\t${diagKey ?? '\\N'}\n`;
}
