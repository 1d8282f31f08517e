import { quoteCsv } from './csv.ts';
import type { RecipientDomain } from './domains.ts';
import type { Job } from './jobs.ts';
import type { Vmta } from './world.ts';

/** PowerMTA 5.x default d/b/t columns (`record-fields * `), in the order it writes them. */
export const DEFAULT_COLUMNS = [
  'type',
  'timeLogged',
  'timeQueued',
  'orig',
  'rcpt',
  'orcpt',
  'dsnAction',
  'dsnStatus',
  'dsnDiag',
  'dsnMta',
  'bounceCat',
  'srcType',
  'srcMta',
  'dlvType',
  'dlvSourceIp',
  'dlvDestinationIp',
  'dlvEsmtpAvailable',
  'dlvSize',
  'vmta',
  'jobId',
  'envId',
  'queue',
  'vmtaPool',
] as const;

/** The full layout's main file holds d,b,t,r,rb,rs: one header, the union of their columns. */
export const MAIN_COLUMNS = [...DEFAULT_COLUMNS, 'dsnReportingMta', 'header_X-Job'] as const;

export const TQ_COLUMNS = [
  'type',
  'timeLogged',
  'dsnStatus',
  'dsnDiag',
  'dsnMta',
  'dlvType',
  'dlvSourceIp',
  'dlvDestinationIp',
  'vmta',
  'queue',
] as const;

export const FBL_COLUMNS = [
  'type',
  'timeLogged',
  'repSourceIp',
  'feedbackType',
  'format',
  'userAgent',
  'envId',
  'orig',
  'rcpt',
  'reportingMta',
  'dlvSourceIp',
  'reportedDomain',
  'header_From',
  'header_Return-Path',
  'header_X-job',
  'header_Subject',
  'arf_Original-Rcpt-To',
] as const;

/** Everything about one recipient of one message that its rows repeat. */
export interface Recipient {
  rcpt: string;
  orig: string;
  envId: string;
  queuedText: string;
  job: Job;
  vmta: Vmta;
  domain: RecipientDomain;
  size: number;
  queue: string;
  mxIp: string;
  dsnMta: string;
}

export interface AttemptOutcome {
  action: string;
  status: string;
  diag: string;
  bounceCat: string;
}

/** A d, b or t row; `union` adds the full layout's two extra columns. */
export function renderAttempt(
  type: string,
  time: string,
  r: Recipient,
  o: AttemptOutcome,
  union: boolean,
): string {
  const line = `${type},${time},${r.queuedText},${r.orig},${r.rcpt},,${o.action},${quoteCsv(o.status)},${quoteCsv(o.diag)},${r.dsnMta},${o.bounceCat},${r.job.srcType},${r.job.srcMta},smtp,${r.vmta.ip},${r.mxIp},${r.domain.esmtpQuoted},${r.size},${r.vmta.name},${r.job.id},${r.envId},${r.queue},${r.vmta.pool}`;
  return union ? `${line},,${r.job.id}` : line;
}

/** An `r` row. PowerMTA logs the pool the message was injected into as its vmta. */
export function renderReceived(time: string, r: Recipient): string {
  const pool = r.vmta.pool;
  return `r,${time},,${r.orig},${r.rcpt},,,,,,,${r.job.srcType},${r.job.srcMta},,,,,,${pool},${r.job.id},${r.envId},,${pool},,${r.job.id}`;
}

/** An `rb`/`rs` row parsed from a DSN that came back later; no vmta, job only via the header. */
export function renderRemote(
  type: 'rb' | 'rs',
  time: string,
  r: Recipient,
  o: AttemptOutcome,
  reportingMta: string,
): string {
  return `${type},${time},,${r.orig},${r.rcpt},,${o.action},${quoteCsv(o.status)},${quoteCsv(o.diag)},${r.dsnMta},${o.bounceCat},${r.job.srcType},${r.job.srcMta},,,,,,,,${r.envId},,,${reportingMta},${r.job.id}`;
}

export function renderQueueFailure(
  time: string,
  r: Recipient,
  status: string,
  diag: string,
  sourceIp: string,
): string {
  return `tq,${time},${quoteCsv(status)},${quoteCsv(diag)},${r.dsnMta},smtp,${sourceIp},${r.mxIp},${r.vmta.name},${r.queue}`;
}

/** An `f` row. JMRP reports arrive with the recipient redacted, so rcpt stays empty. */
export function renderComplaint(time: string, r: Recipient): string {
  const fbl = r.domain.fbl;
  if (!fbl) throw new Error(`no feedback loop for ${r.domain.name}`);
  const rcpt = fbl.format === 'jmrp' ? '' : r.rcpt;
  return `f,${time},${fbl.reporterIp},abuse,${fbl.format},${quoteCsv(fbl.userAgent)},${r.envId},${r.orig},${rcpt},${fbl.reportingMta},${r.vmta.ip},${r.job.brand.domain},${quoteCsv(r.job.from)},${r.orig},${r.job.id},${quoteCsv(r.job.subject)},${rcpt}`;
}
