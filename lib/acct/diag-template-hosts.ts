// Host names in a diagnostic are either the receiver's own machines (mta1234.mail.gq1.yahoo.com,
// DB5PEPF00014B8D.eurprd02.prod.outlook.com), a block list (zen.spamhaus.org), or somebody's domain
// (the recipient's, the sender's, a corporate MX). Only the first two say something about the reason,
// so only their registered domain survives; every other domain would split one reason per recipient.

/** Registered domains of receiving platforms, filtering services and block lists. */
const INFRA_DOMAINS = [
  '1e100.net',
  'abuseat.org',
  'antispamcloud.com',
  'apple.com',
  'barracudacentral.org',
  'barracudanetworks.com',
  'cloudmark.com',
  'emailsrvr.com',
  'gmx.net',
  'google.com',
  'hostedemail.com',
  'iphmx.com',
  'mailcontrol.com',
  'mailspike.net',
  'messagelabs.com',
  'microsoft.com',
  'mimecast.com',
  'office.com',
  'office365.com',
  'outlook.com',
  'pphosted.com',
  'ppe-hosted.com',
  'proofpoint.com',
  'secureserver.net',
  'senderscore.org',
  'sorbs.net',
  'spamcop.net',
  'spamhaus.net',
  'spamhaus.org',
  'spamrats.com',
  'surbl.org',
  'uceprotect.net',
  'uribl.com',
  'yahoodns.net',
  'yahooinc.com',
];

/** Infrastructure names kept even when they appear bare (`listed on spamhaus.org`). */
const BARE_KEEP = new Set(INFRA_DOMAINS);

/**
 * The big receiving platforms' own domains: their MTA names keep the registered domain
 * (`<host>.yahoo.com`). Other mailbox domains do not: a corporate or ISP MX name is the recipient's.
 */
const PLATFORM_DOMAINS = [
  'aol.com',
  'comcast.net',
  'gmx.com',
  'gmx.de',
  'hotmail.com',
  'icloud.com',
  'live.com',
  'me.com',
  'orange.fr',
  'web.de',
  'yahoo.com',
];

/** Registered domains whose host labels are masked rather than the whole name. */
const KNOWN_REGISTERED = new Set([...INFRA_DOMAINS, ...PLATFORM_DOMAINS]);

/** Second-level labels under a country TLD that are a public suffix themselves (co.uk, com.au…). */
const SECOND_LEVEL = new Set(['ac', 'co', 'com', 'edu', 'gob', 'gov', 'ne', 'net', 'or', 'org']);

/** File extensions that look like a TLD after a dot (`troubleshooting.aspx`). */
const NOT_TLD = new Set([
  'asp',
  'aspx',
  'cgi',
  'exe',
  'htm',
  'html',
  'js',
  'json',
  'jsp',
  'pdf',
  'php',
  'txt',
  'xml',
  'zip',
]);

const DIGIT = /\d/;
const NUMERIC = /^\d{1,3}$/;
const TLD = /^(?:\p{Ll}{2,18}|\p{Lu}{2,18}|xn--[a-z0-9-]+)$/u;

/** Whether a dotted word is plausibly a host name: its last label is a letters-only TLD. */
export function looksLikeHost(labels: readonly string[]): boolean {
  const tld = labels[labels.length - 1];
  return TLD.test(tld) && !NOT_TLD.has(tld.toLowerCase());
}

function registeredLength(labels: readonly string[]): number {
  const n = labels.length;
  if (n >= 3 && labels[n - 1].length === 2 && SECOND_LEVEL.has(labels[n - 2].toLowerCase())) return 3;
  return 2;
}

/**
 * `mta1234.mail.gq1.yahoo.com` → `<host>.yahoo.com`, `zen.spamhaus.org` unchanged,
 * `2.0.0.127.zen.spamhaus.org` → `<ip>.zen.spamhaus.org`, `mx.acme.com` → `<host>`, `acme.com` → `<domain>`.
 */
export function maskHost(host: string): string {
  let labels = host.split('.');
  let prefix = '';
  if (labels.length > 4 && labels.slice(0, 4).every((l) => NUMERIC.test(l))) {
    // A DNSBL query name carries the listed IP reversed in front of the zone.
    prefix = '<ip>.';
    labels = labels.slice(4);
  }
  const regLen = Math.min(registeredLength(labels), labels.length);
  const registered = labels.slice(-regLen).join('.');
  const key = registered.toLowerCase();
  const extra = labels.length - regLen;
  if (extra === 0) return prefix + (BARE_KEEP.has(key) ? registered : '<domain>');
  if (!KNOWN_REGISTERED.has(key)) return `${prefix}<host>`;
  // Short names without digits are roles (support., zen., smtp-in.); numbered or deep ones are machines.
  const machine = extra > 2 || labels.slice(0, extra).some((l) => DIGIT.test(l) || l.length > 20);
  return machine ? `${prefix}<host>.${registered}` : prefix + labels.join('.');
}
