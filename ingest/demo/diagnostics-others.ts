import { type DiagContext, type HostBehaviour, spec, weighted } from './diagnostics.ts';

const APPLE_POLICY = 'https://support.apple.com/en-us/HT204137';

export const appleBehaviour: HostBehaviour = {
  esmtp: 'PIPELINING,SIZE,ETRN,STARTTLS,ENHANCEDSTATUSCODES,8BITMIME,DSN',
  success: (c) => `smtp;250 2.0.0 Ok: queued as ${c.rng.alnum(13)}`,
  deferRate: 0.04,
  bounceRate: 0.02,
  remoteBounceRate: 0,
  quota: spec('4.2.2', 'quota-issues', (c) => `smtp;452 4.2.2 <${c.rcpt}>: user is over quota`),
  incidentDeferral: spec(
    '4.7.1',
    'policy-related',
    () => `smtp;421 4.7.1 [CS01] Message rejected due to local policy. Please visit ${APPLE_POLICY}`,
  ),
  incidentBlock: spec(
    '5.7.1',
    'policy-related',
    () => `smtp;554 5.7.1 [CS01] Message rejected due to local policy. Please visit ${APPLE_POLICY}`,
  ),
  deferrals: [
    weighted(
      50,
      spec(
        '4.7.1',
        'policy-related',
        () => `smtp;421 4.7.1 [CS01] Message rejected due to local policy. Please visit ${APPLE_POLICY}`,
      ),
    ),
    weighted(
      30,
      spec(
        '4.7.0',
        'spam-related',
        () => `smtp;421 4.7.0 [HM08] Message rejected due to local policy. Please visit ${APPLE_POLICY}`,
      ),
    ),
    weighted(
      20,
      spec('4.2.2', 'quota-issues', (c) => `smtp;452 4.2.2 <${c.rcpt}>: user is over quota`),
    ),
  ],
  bounces: [
    weighted(
      70,
      spec('5.1.1', 'bad-mailbox', (c) => `smtp;550 5.1.1 <${c.rcpt}>: user does not exist`),
    ),
    weighted(
      20,
      spec(
        '5.7.1',
        'policy-related',
        () => `smtp;554 5.7.1 [CS01] Message rejected due to local policy. Please visit ${APPLE_POLICY}`,
      ),
    ),
    weighted(
      10,
      spec('5.2.2', 'quota-issues', (c) => `smtp;552 5.2.2 <${c.rcpt}>: user is over quota`),
    ),
  ],
};

function comcastMta(c: DiagContext): string {
  const host = `resimta-${c.rng.pick(['h1p', 'h2p', 'po'])}-${c.rng.digits(6)}.sys.comcast.net`;
  return `${host} ${host} ${c.ip}`;
}

export const comcastBehaviour: HostBehaviour = {
  esmtp: 'PIPELINING,SIZE,8BITMIME,STARTTLS,ENHANCEDSTATUSCODES',
  success: (c) => `smtp;250 2.0.0 ${c.rng.alnum(16)} mail accepted for delivery`,
  deferRate: 0.06,
  bounceRate: 0.04,
  remoteBounceRate: 0.002,
  quota: spec('4.2.2', 'quota-issues', (c) => `smtp;452 4.2.2 <${c.rcpt}> Mailbox full`),
  incidentDeferral: spec(
    '4.2.0',
    'policy-related',
    (c) =>
      `smtp;421 ${comcastMta(c)} Too many sessions opened. See https://postmaster.comcast.net/smtp-error-codes.php#RL000010`,
    { queueLevel: true },
  ),
  incidentBlock: spec(
    '5.7.1',
    'spam-related',
    (c) =>
      `smtp;554 ${comcastMta(c)} found on one or more DNSBLs, see http://postmaster.comcast.net/smtp-error-codes.php#BL000001`,
  ),
  deferrals: [
    weighted(
      60,
      spec(
        '4.2.0',
        'policy-related',
        (c) =>
          `smtp;421 ${comcastMta(c)} Too many sessions opened. See https://postmaster.comcast.net/smtp-error-codes.php#RL000010`,
        { queueLevel: true },
      ),
    ),
    weighted(
      40,
      spec('4.2.2', 'quota-issues', (c) => `smtp;452 4.2.2 <${c.rcpt}> Mailbox full`),
    ),
  ],
  bounces: [
    weighted(
      80,
      spec('5.1.1', 'bad-mailbox', (c) => `smtp;550 5.1.1 <${c.rcpt}> Not our Customer`),
    ),
    weighted(
      20,
      spec(
        '5.7.1',
        'spam-related',
        (c) =>
          `smtp;554 ${comcastMta(c)} found on one or more DNSBLs, see http://postmaster.comcast.net/smtp-error-codes.php#BL000001`,
      ),
    ),
  ],
};

function nemesisId(c: DiagContext): string {
  return `${c.rng.alnum(6)}-${c.rng.alnum(10)}-${c.rng.alnum(6)}`;
}

const gmxPolicy = spec(
  '4.0.0',
  'policy-related',
  (c) =>
    `smtp;421-${c.mx} (mxgmx${c.rng.digits(3)}) Nemesis ESMTP Service not available 421-Service unavailable 421-Reject due to policy restrictions. 421 For explanation visit https://postmaster.gmx.net/en/case?c=r0701&i=ip&v=${c.ip}&r=${nemesisId(c)}`,
  { queueLevel: true },
);

export const gmxBehaviour: HostBehaviour = {
  esmtp: 'SIZE,8BITMIME,STARTTLS,ENHANCEDSTATUSCODES,PIPELINING',
  success: (c) => `smtp;250 Requested mail action okay, completed: id=${nemesisId(c)}`,
  deferRate: 0.06,
  bounceRate: 0.04,
  remoteBounceRate: 0.003,
  quota: spec('4.2.2', 'quota-issues', () => 'smtp;452 4.2.2 Mailbox quota exceeded'),
  incidentDeferral: gmxPolicy,
  incidentBlock: spec(
    '5.0.0',
    'policy-related',
    (c) =>
      `smtp;554-${c.mx} (mxgmx${c.rng.digits(3)}) Nemesis ESMTP Service not available 554-No SMTP service 554-Reject due to policy restrictions. 554 For explanation visit https://postmaster.gmx.net/en/case?c=r0601&i=ip&v=${c.ip}&r=${nemesisId(c)}`,
  ),
  deferrals: [
    weighted(60, gmxPolicy),
    weighted(
      40,
      spec('4.2.2', 'quota-issues', () => 'smtp;452 4.2.2 Mailbox quota exceeded'),
    ),
  ],
  bounces: [
    weighted(
      85,
      spec('5.0.0', 'bad-mailbox', () => 'smtp;550 Requested action not taken: mailbox unavailable'),
    ),
    weighted(
      15,
      spec(
        '5.0.0',
        'policy-related',
        (c) =>
          `smtp;554-${c.mx} (mxgmx${c.rng.digits(3)}) Nemesis ESMTP Service not available 554-No SMTP service 554-Bad DNS PTR resource record. 554 For explanation visit https://postmaster.gmx.net/en/case?c=r0601&i=ip&v=${c.ip}&r=${nemesisId(c)}`,
      ),
    ),
  ],
};

function orangeNode(c: DiagContext): string {
  return `mwinf${c.rng.digits(4)}`;
}

const orangeRefused = spec(
  '4.0.0',
  'policy-related',
  (c) =>
    `smtp;421 ${orangeNode(c)} ME Service refuse. Veuillez essayer plus tard. Service refused, please try later. OFR_999 [999]`,
  { queueLevel: true },
);

export const orangeBehaviour: HostBehaviour = {
  esmtp: 'PIPELINING,SIZE,8BITMIME,STARTTLS,ENHANCEDSTATUSCODES',
  success: (c) => `smtp;250 2.0.0 ${c.rng.alnum(13)} mail accepted for delivery`,
  deferRate: 0.08,
  bounceRate: 0.05,
  remoteBounceRate: 0.002,
  quota: spec(
    '4.2.2',
    'quota-issues',
    () => 'smtp;452 4.2.2 Boite du destinataire pleine. Mailbox full. OFR_417 [417]',
  ),
  incidentDeferral: orangeRefused,
  incidentBlock: spec(
    '5.7.1',
    'spam-related',
    () =>
      'smtp;554 5.7.1 Service refuse. Veuillez essayer plus tard. Service refused, please try later. OFR_506 [506]',
  ),
  deferrals: [
    weighted(60, orangeRefused),
    weighted(
      40,
      spec(
        '4.0.0',
        'policy-related',
        (c) =>
          `smtp;421 ${orangeNode(c)} ME Trop de connexions, veuillez verifier votre configuration. Too many connections, slow down. OFR005_104 [104]`,
        { queueLevel: true },
      ),
    ),
  ],
  bounces: [
    weighted(
      85,
      spec(
        '5.1.1',
        'bad-mailbox',
        () => 'smtp;550 5.1.1 Adresse d au moins un destinataire invalide. Invalid recipient. OFR_416 [416]',
      ),
    ),
    weighted(
      15,
      spec(
        '5.7.1',
        'spam-related',
        () =>
          'smtp;554 5.7.1 Service refuse. Veuillez essayer plus tard. Service refused, please try later. OFR_506 [506]',
      ),
    ),
  ],
};
