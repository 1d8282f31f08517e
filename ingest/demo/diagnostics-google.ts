import { type DiagContext, type HostBehaviour, spec, unixSeconds, weighted } from './diagnostics.ts';

const SUFFIXES = ['qkb', 'wrb', 'ejc', 'adx', 'qtx', 'ffb', 'pla', 'dya'];

/** Gmail's trailing transaction id, e.g. `5b1f17b1804b1-42128b3f1a6si2385535wmb.123 - gsmtp`. */
function gsmtpId(c: DiagContext): string {
  const r = c.rng;
  return `${r.hex(13)}-${r.hex(11)}si${r.digits(7)}${r.pick(SUFFIXES)}.${10 + r.int(990)} - gsmtp`;
}

const rateLimited = spec(
  '4.7.28',
  'spam-related',
  (c) =>
    `smtp;421-4.7.28 [${c.ip}      15] Our system has detected an unusual rate of unsolicited mail originating from your IP address. To protect our users from spam, mail sent from your IP address has been temporarily rate limited. For more information, go to https://support.google.com/mail/answer/188131 ${gsmtpId(c)}`,
);

const overQuota = spec(
  '4.2.2',
  'quota-issues',
  (c) =>
    `smtp;452-4.2.2 The recipient's inbox is out of storage space. Please direct the recipient to https://support.google.com/mail/?p=OverQuotaTemp ${gsmtpId(c)}`,
);

const unsolicited = spec(
  '5.7.1',
  'spam-related',
  (c) =>
    `smtp;550-5.7.1 [${c.ip}      12] Our system has detected that this message is likely unsolicited mail. To reduce the amount of spam sent to Gmail, this message has been blocked. For more information, go to https://support.google.com/mail/?p=UnsolicitedMessageError ${gsmtpId(c)}`,
);

export const googleBehaviour: HostBehaviour = {
  esmtp: 'SIZE,8BITMIME,STARTTLS,ENHANCEDSTATUSCODES,PIPELINING,CHUNKING,SMTPUTF8',
  success: (c) => `smtp;250 2.0.0 OK  ${unixSeconds(c)} ${gsmtpId(c)}`,
  deferRate: 0.05,
  bounceRate: 0.035,
  remoteBounceRate: 0,
  quota: overQuota,
  incidentDeferral: rateLimited,
  incidentBlock: unsolicited,
  deferrals: [
    weighted(30, rateLimited),
    weighted(15, overQuota),
    weighted(
      20,
      spec(
        '4.3.0',
        'other',
        (c) => `smtp;421-4.3.0 Temporary System Problem.  Try again later (10). ${gsmtpId(c)}`,
      ),
    ),
    weighted(
      15,
      spec(
        '4.2.1',
        'policy-related',
        (c) =>
          `smtp;450-4.2.1 The user you are trying to contact is receiving mail at a rate that prevents additional messages from being delivered. Please resend your message at a later time. If the user is able to receive mail at that time, your message will be delivered. For more information, go to https://support.google.com/mail/?p=ReceivingRate ${gsmtpId(c)}`,
      ),
    ),
    weighted(
      10,
      spec(
        '4.7.27',
        'policy-related',
        (c) =>
          `smtp;421-4.7.27 Your email has been rate limited because SPF authentication didn't pass for this message. Gmail requires all bulk email senders to authenticate with SPF. Sending domain ${c.senderDomain} does not pass SPF checks. For more information, go to https://support.google.com/mail/answer/81126#authentication ${gsmtpId(c)}`,
      ),
    ),
    weighted(
      10,
      spec(
        '4.7.0',
        'spam-related',
        (c) =>
          `smtp;421-4.7.0 [${c.ip}      15] Our system has detected that this message is suspicious due to the very low reputation of the sending IP address. To protect our users from spam, mail sent from your IP address has been temporarily rate limited. For more information, go to https://support.google.com/mail/answer/188131 ${gsmtpId(c)}`,
      ),
    ),
  ],
  bounces: [
    weighted(
      60,
      spec(
        '5.1.1',
        'bad-mailbox',
        (c) =>
          `smtp;550-5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos or unnecessary spaces. For more information, go to https://support.google.com/mail/?p=NoSuchUser ${gsmtpId(c)}`,
      ),
    ),
    weighted(
      10,
      spec(
        '5.2.1',
        'inactive-mailbox',
        (c) =>
          `smtp;550-5.2.1 The email account that you tried to reach is inactive. For more information, go to https://support.google.com/mail/?p=DisabledUser ${gsmtpId(c)}`,
      ),
    ),
    weighted(
      10,
      spec(
        '5.7.26',
        'policy-related',
        (c) =>
          `smtp;550-5.7.26 This mail has been blocked because the sender is unauthenticated. Gmail requires all senders to authenticate with either SPF or DKIM. Authentication results: DKIM = did not pass SPF [${c.senderDomain}] with ip: [${c.ip}] = did not pass For instructions on setting up authentication, go to https://support.google.com/mail/answer/81126#authentication ${gsmtpId(c)}`,
      ),
    ),
    weighted(8, unsolicited),
    weighted(
      7,
      spec(
        '5.2.2',
        'quota-issues',
        (c) =>
          `smtp;552-5.2.2 The recipient's inbox is out of storage space and inactive. Please direct the recipient to https://support.google.com/mail/?p=OverQuotaPerm ${gsmtpId(c)}`,
      ),
    ),
    weighted(
      5,
      spec(
        '5.7.0',
        'content-related',
        (c) =>
          `smtp;552-5.7.0 This message was blocked because its content presents a potential security issue. Please visit https://support.google.com/mail/?p=BlockedMessage to review our message content and attachment content guidelines. ${gsmtpId(c)}`,
      ),
    ),
  ],
};
