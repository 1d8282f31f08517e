import { type DiagContext, type HostBehaviour, isoStamp, spec, weighted } from './diagnostics.ts';

const FRONT_ENDS = ['AM', 'DB', 'BN', 'CO', 'SN', 'CH', 'DM', 'SA', 'VI', 'HE'];
const REGIONS = ['eurprd02', 'eurprd04', 'eurprd07', 'namprd04', 'namprd11', 'namprd12', 'apcprd06'];

function exchangeHost(c: DiagContext): string {
  const r = c.rng;
  return `${r.pick(FRONT_ENDS)}${1 + r.int(9)}PEPF${r.hex(8).toUpperCase()}.${r.pick(REGIONS)}.prod.outlook.com`;
}

/** Trailer like `[DB5PEPF00014B8D.eurprd02.prod.outlook.com 2024-05-14T09:12:33.123Z 08DC5D3F1A2B3C4D]`. */
function trailer(c: DiagContext): string {
  return `[${exchangeHost(c)} ${isoStamp(c)} ${c.rng.hex(16).toUpperCase()}]`;
}

function filterAgent(c: DiagContext): string {
  return `[Name=Protocol Filter Agent][AGT=PFA][MxId=${c.rng.hex(16).toUpperCase()}] ${trailer(c)}`;
}

const rateLimited = spec(
  '4.7.650',
  'policy-related',
  (c) =>
    `smtp;451 4.7.650 The mail server [${c.ip}] has been temporarily rate limited due to IP reputation. For e-mail delivery information, see https://aka.ms/postmaster (S775) ${filterAgent(c)}`,
);

const blockList = spec(
  '5.7.1',
  'policy-related',
  (c) =>
    `smtp;550 5.7.1 Unfortunately, messages from [${c.ip}] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150). You can also refer your provider to http://mail.live.com/mail/troubleshooting.aspx#errors. ${filterAgent(c)}`,
);

export const microsoftBehaviour: HostBehaviour = {
  esmtp: 'PIPELINING,SIZE,ETRN,ENHANCEDSTATUSCODES,8BITMIME,BINARYMIME,CHUNKING,SMTPUTF8,STARTTLS',
  success: (c, size, envId) =>
    `smtp;250 2.6.0 <${envId}@${c.senderDomain}> [InternalId=${c.rng.digits(14)}, Hostname=${exchangeHost(c)}] ${size} bytes in ${(0.05 + c.rng.next() * 0.4).toFixed(3)}, ${(size / 1024 / (0.05 + c.rng.next() * 0.4)).toFixed(3)} KB/sec Queued mail for delivery`,
  deferRate: 0.08,
  bounceRate: 0.04,
  remoteBounceRate: 0.002,
  quota: spec(
    '4.2.2',
    'quota-issues',
    () =>
      "smtp;452 4.2.2 The recipient's mailbox is full and can't accept messages now. Please try resending this message later, or contact the recipient directly.",
  ),
  incidentDeferral: rateLimited,
  incidentBlock: blockList,
  deferrals: [
    weighted(40, rateLimited),
    weighted(
      30,
      spec(
        '4.7.500',
        'policy-related',
        (c) => `smtp;451 4.7.500 Server busy. Please try again later from [${c.ip}]. (S77714) ${trailer(c)}`,
      ),
    ),
    weighted(
      20,
      spec(
        '4.3.2',
        'other',
        () =>
          'smtp;421 4.3.2 The maximum number of concurrent server connections has exceeded a limit, closing transmission channel',
        { queueLevel: true },
      ),
    ),
    weighted(
      10,
      spec(
        '4.2.2',
        'quota-issues',
        () =>
          "smtp;452 4.2.2 The recipient's mailbox is full and can't accept messages now. Please try resending this message later, or contact the recipient directly.",
      ),
    ),
  ],
  bounces: [
    weighted(
      55,
      spec(
        '5.5.0',
        'bad-mailbox',
        (c) => `smtp;550 5.5.0 Requested action not taken: mailbox unavailable (S2017) ${trailer(c)}`,
      ),
    ),
    weighted(15, blockList),
    weighted(
      10,
      spec(
        '5.7.606',
        'policy-related',
        (c) =>
          `smtp;550 5.7.606 Access denied, banned sending IP [${c.ip}]. To request removal from this list please visit https://sender.office.com/ and follow the directions. For more information please go to  http://go.microsoft.com/fwlink/?LinkID=526655 AS(1430) ${trailer(c)}`,
      ),
    ),
    weighted(
      10,
      spec(
        '5.7.515',
        'policy-related',
        (c) =>
          `smtp;550 5.7.515 Access denied, sending domain [${c.senderDomain.toUpperCase()}] does not meet the required authentication level. The sender's domain in the 5322.From address doesn't meet the authentication requirements defined for the sender. To learn more about the requirements, see https://go.microsoft.com/fwlink/?linkid=2293229 ${trailer(c)}`,
      ),
    ),
    weighted(
      10,
      spec(
        '5.4.1',
        'bad-mailbox',
        (c) =>
          `smtp;550 5.4.1 Recipient address rejected: Access denied. For more information see https://aka.ms/EXOSmtpErrors ${trailer(c)}`,
      ),
    ),
  ],
};
