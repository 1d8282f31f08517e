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
];

const encodeLogged = createDateEncoder();
const encodeQueued = createDateEncoder();

/** One acct_record row in COPY text format (`source` already escaped). */
export function recordRow(fileId: number, source: string, offset: number, r: AcctRecord): string {
  const extra = r.extra;
  let json = '{}';
  for (const _ in extra) {
    json = copyText(JSON.stringify(extra));
    break;
  }
  return `${encodeLogged(r.timeLogged)}\t${fileId}\t${offset}\t${source}\t${r.type}\t${encodeQueued(r.timeQueued)}\t${copyText(
    r.orig,
  )}\t${copyText(r.rcpt)}\t${copyText(r.rcptDomain)}\t${copyText(r.provider)}\t${copyText(r.dsnAction)}\t${copyText(
    r.dsnStatus,
  )}\t${copyText(r.dsnDiag)}\t${copyText(r.dsnMta)}\t${copyText(r.bounceCat)}\t${copyText(r.dlvSourceIp)}\t${copyText(
    r.dlvDestinationIp,
  )}\t${copyNumber(r.dlvSize)}\t${copyText(r.vmta)}\t${copyText(r.vmtaPool)}\t${copyText(r.jobId)}\t${copyText(
    r.envId,
  )}\t${copyText(r.queue)}\t${copyText(r.feedbackType)}\t${copyText(r.reportingMta)}\t${copyText(
    r.orcpt,
  )}\t${copyText(r.srcType)}\t${copyText(r.srcMta)}\t${copyText(r.dlvType)}\t${copyText(r.dlvEsmtpAvailable)}\t${json}\n`;
}
