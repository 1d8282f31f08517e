import { type HostBehaviour, spec, weighted } from './diagnostics.ts';

const ERROR_CODES = 'https://postmaster.yahooinc.com/error-codes';

const tss04 = spec(
  '4.7.0',
  'policy-related',
  (c) =>
    `smtp;421 4.7.0 [TSS04] Messages from ${c.ip} temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see ${ERROR_CODES}`,
);

const policyRefused = spec(
  '5.7.9',
  'policy-related',
  () => `smtp;554 5.7.9 Message not accepted for policy reasons.  See ${ERROR_CODES}`,
);

export const yahooBehaviour: HostBehaviour = {
  esmtp: 'PIPELINING,SIZE,8BITMIME,STARTTLS',
  success: () => 'smtp;250 ok dirdel',
  deferRate: 0.12,
  bounceRate: 0.045,
  remoteBounceRate: 0,
  quota: spec('4.2.2', 'quota-issues', () => 'smtp;452 4.2.2 Mailbox full'),
  incidentDeferral: tss04,
  incidentBlock: policyRefused,
  deferrals: [
    weighted(35, tss04),
    // The same TSS04 refusal also arrives at the greeting, before any recipient is tried.
    weighted(12, { ...tss04, queueLevel: true }),
    weighted(
      10,
      spec(
        '4.7.0',
        'policy-related',
        (c) =>
          `smtp;421 4.7.0 [TSS09] All messages from ${c.ip} will be permanently deferred; Retrying will NOT succeed. See ${ERROR_CODES}`,
        { queueLevel: true },
      ),
    ),
    weighted(
      15,
      spec(
        '4.7.0',
        'spam-related',
        (c) =>
          `smtp;421 4.7.0 [TS01] Messages from ${c.ip} temporarily deferred due to user complaints - 4.16.55.1; see ${ERROR_CODES}`,
      ),
    ),
    weighted(
      13,
      spec(
        '4.0.0',
        'policy-related',
        () =>
          `smtp;451 Message temporarily deferred due to unresolvable RFC.5321 from domain; see ${ERROR_CODES}`,
      ),
    ),
    weighted(
      8,
      spec('4.2.2', 'quota-issues', () => 'smtp;452 4.2.2 Mailbox full'),
    ),
  ],
  bounces: [
    weighted(
      60,
      spec('5.0.0', 'bad-mailbox', () => 'smtp;552 1 Requested mail action aborted, mailbox not found'),
    ),
    weighted(
      15,
      spec(
        '5.0.0',
        'inactive-mailbox',
        (c) =>
          `smtp;554 30 Sorry, your message to ${c.rcpt} cannot be delivered. This mailbox is disabled (554.30).`,
      ),
    ),
    weighted(15, policyRefused),
    weighted(
      10,
      spec(
        '5.0.0',
        'bad-mailbox',
        (c) =>
          `smtp;554 delivery error: dd This user doesn't have a ${c.domain} account (${c.rcpt}) [0] - mta${1000 + c.rng.int(8000)}.mail.${c.rng.pick(['bf1', 'gq1', 'ne1', 'ir2'])}.yahoo.com`,
      ),
    ),
  ],
};
