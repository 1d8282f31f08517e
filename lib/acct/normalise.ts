import { queueDomain, recipientDomain } from './domain.ts';
import type { ColumnMap } from './header.ts';
import { parseAcctTime } from './parse-time.ts';
import { complaintProvider, providerOf } from './providers.ts';
import { type AcctRecord, RECORD_TYPES, type RecordType } from './types.ts';

/** Record types that report on a message sent earlier and carry its headers. */
const REPORT_TYPES: ReadonlySet<string> = new Set(['f', 'rb', 'rs']);

export type NormaliseResult = { record: AcctRecord } | { reject: string };

const TYPES: ReadonlyMap<string, RecordType> = new Map(RECORD_TYPES.map((t) => [t, t]));

/** The value at column i; absent (short row) and empty both read as null. */
function valueAt(fields: readonly string[], i: number): string | null {
  if (i < 0 || i >= fields.length) return null;
  const v = fields[i];
  return v === '' ? null : v;
}

function parseSize(value: string | null): number | null {
  if (value === null || value.length > 15) return null;
  let n = 0;
  for (let i = 0; i < value.length; i++) {
    const d = value.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return null;
    n = n * 10 + d;
  }
  return n;
}

function readType(raw: string | undefined): RecordType | undefined {
  if (raw === undefined) return undefined;
  // Fast path: PowerMTA writes the code bare and lower-case.
  return TYPES.get(raw) ?? TYPES.get(raw.trim().toLowerCase());
}

function quote(value: string): string {
  return `'${value.length > 60 ? `${value.slice(0, 60)}…` : value}'`;
}

/** Turns one CSV row into an AcctRecord using its file's header, or says why it cannot. */
export function normaliseRow(fields: readonly string[], map: ColumnMap): NormaliseResult {
  const result = normaliseFields(fields, map);
  return typeof result === 'string' ? { reject: result } : { record: result };
}

/**
 * normaliseRow without the result wrapper, for the hot path (one allocation less per row):
 * a string result is the reject reason.
 */
export function normaliseFields(fields: readonly string[], map: ColumnMap): AcctRecord | string {
  const type = readType(fields[0]);
  if (type === undefined) return `unknown record type ${quote((fields[0] ?? '').trim())}`;

  const ix = map.index;
  const loggedRaw = valueAt(fields, ix.timeLogged);
  if (loggedRaw === null) return 'missing timeLogged';
  const timeLogged = parseAcctTime(loggedRaw);
  if (timeLogged === null) return `invalid timeLogged ${quote(loggedRaw)}`;
  const queuedRaw = valueAt(fields, ix.timeQueued);

  const rcpt = valueAt(fields, ix.rcpt);
  const queue = valueAt(fields, ix.queue);
  const reportingMta = valueAt(fields, ix.reportingMta);
  const feedbackType = valueAt(fields, ix.feedbackType);
  let rcptDomain = recipientDomain(rcpt);
  let provider: string;
  if (type === 'tq' && rcptDomain === '') {
    // tq rows have no recipient: the queue's domain is the destination.
    rcptDomain = queueDomain(queue);
    provider = providerOf(rcptDomain);
  } else if (type === 'f' && rcptDomain === '') {
    // JMRP and some ARF reports omit the recipient; the report's source names the provider.
    provider = complaintProvider(
      reportingMta,
      valueAt(fields, ix.userAgent),
      feedbackType,
      valueAt(fields, ix.format),
    );
  } else {
    provider = providerOf(rcptDomain);
  }

  const extra: Record<string, string> = {};
  const names = map.extraNames;
  const indexes = map.extraIndexes;
  for (let k = 0; k < indexes.length; k++) {
    const i = indexes[k];
    if (i >= fields.length) break; // indexes ascend: the rest of a short row is absent
    const v = fields[i];
    if (v !== '') extra[names[k]] = v;
  }
  // *assume* a row longer than its header: keep the surplus values rather than drop them.
  for (let i = map.columns.length; i < fields.length; i++) {
    if (fields[i] !== '') extra[`_col${i}`] = fields[i];
  }
  // Assigned above, a `__proto__` column set the prototype (ignored, a string): defined instead.
  // Other names of Object.prototype (constructor, toString…) are plain data properties there,
  // which an assignment shadows with an own property as it should.
  const proto = map.protoColumn;
  if (proto !== -1 && proto < fields.length && fields[proto] !== '') {
    Object.defineProperty(extra, '__proto__', {
      value: fields[proto],
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }

  const bounceCat = valueAt(fields, ix.bounceCat)?.trim() || null;
  return {
    type,
    timeLogged,
    timeQueued: queuedRaw === null ? null : parseAcctTime(queuedRaw),
    orig: valueAt(fields, ix.orig),
    rcpt,
    rcptDomain,
    provider,
    dsnAction: valueAt(fields, ix.dsnAction),
    dsnStatus: valueAt(fields, ix.dsnStatus),
    dsnDiag: valueAt(fields, ix.dsnDiag),
    dsnMta: valueAt(fields, ix.dsnMta),
    bounceCat,
    dlvSourceIp: valueAt(fields, ix.dlvSourceIp),
    dlvDestinationIp: valueAt(fields, ix.dlvDestinationIp),
    dlvSize: parseSize(valueAt(fields, ix.dlvSize)),
    vmta: valueAt(fields, ix.vmta),
    vmtaPool: valueAt(fields, ix.vmtaPool),
    // A complaint, a remote bounce or a remote status report (reports about a message sent
    // earlier) has no jobId of its own: the job header of the reported message names it. A
    // remote bounce counted under no job read "Remote bounced 0" on its job's page (QA).
    jobId: valueAt(fields, ix.jobId) ?? (REPORT_TYPES.has(type) ? valueAt(fields, map.jobHeader) : null),
    envId: valueAt(fields, ix.envId),
    queue,
    feedbackType,
    reportingMta,
    orcpt: valueAt(fields, ix.orcpt),
    srcType: valueAt(fields, ix.srcType),
    srcMta: valueAt(fields, ix.srcMta),
    dlvType: valueAt(fields, ix.dlvType),
    dlvEsmtpAvailable: valueAt(fields, ix.dlvEsmtpAvailable),
    extra,
  };
}
