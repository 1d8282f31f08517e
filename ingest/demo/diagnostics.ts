import type { Prng } from './prng.ts';

/** What a diagnostic template may vary: the sending IP, the recipient, ids, clock. */
export interface DiagContext {
  rng: Prng;
  /** Sending IP of the VirtualMTA making the attempt. */
  ip: string;
  rcpt: string;
  /** Recipient domain, punycode. */
  domain: string;
  /** Remote MX host name. */
  mx: string;
  senderDomain: string;
  orig: string;
  /** Attempt time, epoch ms. */
  time: number;
}

/** One kind of remote reply: its DSN status, PowerMTA bounce category and reply text. */
export interface DiagSpec {
  status: string;
  bounceCat: string;
  diag: (c: DiagContext) => string;
  /** Refused at connect/greeting: PowerMTA logs a `tq` row for the queue, not a `t` per recipient. */
  queueLevel?: boolean;
  /** The reply spans several lines; only the full layout keeps the embedded line breaks. */
  multiline?: boolean;
}

export interface WeightedDiag {
  weight: number;
  spec: DiagSpec;
}

/** How one mailbox-provider platform answers: success texts, deferrals, bounces, incident replies. */
export interface HostBehaviour {
  esmtp: string;
  success: (c: DiagContext, size: number, envId: string) => string;
  /** Probability that a first attempt is deferred on an ordinary day. */
  deferRate: number;
  /** Probability that a recipient hard-bounces (before list-quality multipliers). */
  bounceRate: number;
  /** Probability that a delivered recipient later produces a remote bounce (`rb`). */
  remoteBounceRate: number;
  deferrals: WeightedDiag[];
  bounces: WeightedDiag[];
  /** Over-quota reply used for recipients whose mailbox stays full until expiry. */
  quota: DiagSpec;
  /** Reply during a deferral incident (e.g. Gmail 4.7.28, Yahoo TSS04). */
  incidentDeferral: DiagSpec;
  /** Reply during a block incident (e.g. Microsoft S3150). */
  incidentBlock: DiagSpec;
}

const DETAIL_TEXT: Record<string, string> = {
  '2.0.0': 'success',
  '4.0.0': 'undefined status',
  '5.0.0': 'undefined status',
  '4.2.1': 'mailbox disabled, not accepting messages',
  '5.2.1': 'mailbox disabled, not accepting messages',
  '4.2.2': 'mailbox full',
  '5.2.2': 'mailbox full',
  '5.1.1': 'bad destination mailbox address',
  '5.1.2': 'bad destination system: no such domain',
  '5.1.8': 'bad sender system address',
  '4.4.1': 'no answer from host',
  '4.4.2': 'bad connection',
  '5.4.4': 'unable to route',
  '5.4.6': 'routing loop detected',
  '4.4.7': 'delivery time expired',
  '5.5.4': 'invalid command arguments',
  '4.7.1': 'delivery not authorized',
  '5.7.1': 'delivery not authorized',
};

const SUBJECT_TEXT: Record<string, string> = {
  '1': 'other address status',
  '2': 'other or undefined mailbox status',
  '3': 'other or undefined mail system status',
  '4': 'other or undefined network or routing status',
  '5': 'other or undefined protocol status',
  '6': 'other or undefined media error',
  '7': 'other or undefined security status',
};

/** `dsnStatus` as PowerMTA writes it: the code and a short text in parentheses. */
export function formatStatus(code: string): string {
  const text = DETAIL_TEXT[code] ?? SUBJECT_TEXT[code.split('.')[1]] ?? 'undefined status';
  return `${code} (${text})`;
}

export function spec(
  code: string,
  bounceCat: string,
  diag: (c: DiagContext) => string,
  flags: { queueLevel?: boolean; multiline?: boolean } = {},
): DiagSpec {
  return { status: formatStatus(code), bounceCat, diag, ...flags };
}

export function weighted(weight: number, s: DiagSpec): WeightedDiag {
  return { weight, spec: s };
}

/** Unix seconds of the attempt, as providers print them in queue ids. */
export function unixSeconds(c: DiagContext): number {
  return Math.floor(c.time / 1000);
}

/** `2024-05-14T09:12:33.123Z`, the stamp Microsoft puts in its replies. */
export function isoStamp(c: DiagContext): string {
  return new Date(c.time + c.rng.int(900)).toISOString();
}
