import { type DiagContext, type HostBehaviour, spec, weighted } from './diagnostics.ts';

/** Reply of a domain that does not resolve (typo domains): PowerMTA bounces it itself. */
export const noSuchDomain = spec(
  '5.1.2',
  'bad-domain',
  () => 'smtp;550 5.1.2 [internal] no MX or A record for domain',
);

/** Connect timeouts of a dead MX: logged per queue with no remote text, as in real `tq` rows. */
export const noAnswer = spec('4.4.1', 'no-answer-from-host', () => '', { queueLevel: true });

export const expiredStatus = '4.4.7 (delivery time expired)';

function postfixId(c: DiagContext): string {
  return c.rng.hex(10).toUpperCase();
}

const spamhaus = spec(
  '5.7.1',
  'spam-related',
  (c) =>
    `smtp;554 5.7.1 Service unavailable; Client host [${c.ip}] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/${c.ip}`,
);

const tooManyConnections = spec(
  '4.7.0',
  'policy-related',
  (c) => `smtp;421 4.7.0 ${c.mx} Error: too many connections from ${c.ip}`,
  { queueLevel: true },
);

/** Corporate and ISP servers: Postfix, Exchange, Mimecast, Proofpoint… */
export const genericBehaviour: HostBehaviour = {
  esmtp: 'PIPELINING,SIZE,ETRN,STARTTLS,ENHANCEDSTATUSCODES,8BITMIME,DSN,SMTPUTF8',
  success: (c) => {
    const k = c.rng.int(3);
    if (k === 0) return `smtp;250 2.0.0 Ok: queued as ${postfixId(c)}`;
    if (k === 1) return `smtp;250 2.0.0 ${c.rng.alnum(14)} Message accepted for delivery`;
    return `smtp;250 Ok ${c.rng.hex(16)}-${c.rng.hex(8)}-000000`;
  },
  deferRate: 0.07,
  bounceRate: 0.06,
  remoteBounceRate: 0.006,
  quota: spec('4.2.2', 'quota-issues', (c) => `smtp;452 4.2.2 <${c.rcpt}>: Mailbox full`),
  incidentDeferral: tooManyConnections,
  incidentBlock: spamhaus,
  deferrals: [
    weighted(
      30,
      spec(
        '4.2.0',
        'policy-related',
        (c) =>
          `smtp;450 4.2.0 <${c.rcpt}>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/${c.domain}.html`,
      ),
    ),
    weighted(20, tooManyConnections),
    weighted(
      15,
      spec('4.3.0', 'other', () => 'smtp;451 4.3.0 Temporary server error. Please try again later. PRX4'),
    ),
    weighted(
      15,
      spec('4.2.2', 'quota-issues', (c) => `smtp;452 4.2.2 <${c.rcpt}>: Mailbox full`),
    ),
    weighted(10, noAnswer),
    weighted(
      10,
      spec('4.4.2', 'bad-connection', (c) => `smtp;421 4.4.2 ${c.mx} Error: timeout exceeded`),
    ),
  ],
  bounces: [
    weighted(
      40,
      spec(
        '5.1.1',
        'bad-mailbox',
        (c) =>
          `smtp;550 5.1.1 <${c.rcpt}>: Recipient address rejected: User unknown in virtual mailbox table`,
      ),
    ),
    weighted(
      15,
      spec(
        '5.1.10',
        'bad-mailbox',
        (c) =>
          `smtp;550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient ${c.rcpt} not found by SMTP address lookup`,
      ),
    ),
    weighted(
      10,
      spec(
        '5.0.0',
        'bad-mailbox',
        (c) =>
          `smtp;550 Invalid Recipient - https://community.mimecast.com/docs/DOC-1369#550 [${c.rng.alnum(22)}.${c.rng.pick(['eu', 'us', 'uk'])}${c.rng.digits(3)}]`,
      ),
    ),
    weighted(10, spamhaus),
    weighted(
      8,
      spec(
        '5.2.1',
        'inactive-mailbox',
        (c) => `smtp;550 5.2.1 <${c.rcpt}>: Mailbox disabled for this recipient`,
      ),
    ),
    weighted(
      7,
      spec(
        '5.2.2',
        'quota-issues',
        (c) => `smtp;552 5.2.2 <${c.rcpt}>: Recipient address rejected: Mailbox quota exceeded`,
      ),
    ),
    weighted(
      5,
      spec(
        '5.7.1',
        'content-related',
        () =>
          'smtp;554 5.7.1 Message blocked due to content filter: rejected by spam filter, message looks like spam',
      ),
    ),
    weighted(
      3,
      spec('5.7.1', 'relaying-issues', (c) => `smtp;554 5.7.1 <${c.rcpt}>: Relay access denied`),
    ),
    // Some servers answer on several lines; PowerMTA keeps the breaks, so the CSV field spans lines.
    weighted(
      2,
      spec(
        '5.7.1',
        'policy-related',
        (c) =>
          `smtp;550-5.7.1 Message rejected by local policy.\n550-5.7.1 Please contact postmaster@${c.domain}\n550 5.7.1 if you believe this is an error.`,
        { multiline: true },
      ),
    ),
    weighted(
      1,
      spec(
        '5.1.8',
        'invalid-sender',
        (c) => `smtp;553 5.1.8 <${c.orig}>: Sender address rejected: Domain not found`,
      ),
    ),
    weighted(
      1,
      spec('5.5.4', 'protocol-errors', () => 'smtp;501 5.5.4 Syntax error in parameters or arguments'),
    ),
    weighted(
      1,
      spec('5.4.6', 'routing-errors', () => 'smtp;554 5.4.6 Hop count exceeded - possible mail loop'),
    ),
    weighted(
      1,
      spec(
        '5.7.0',
        'virus-related',
        (c) => `smtp;554 5.7.0 Reject, id=${c.rng.digits(5)}-${c.rng.digits(2)} - INFECTED: Eicar-Signature`,
      ),
    ),
  ],
};
