import { describe, expect, it } from 'vitest';
import { diagTemplate } from './diag-template.ts';

// A micro-benchmark, printed rather than asserted: timings on a shared CI runner are too noisy to
// gate on. The target is about 5 µs per typical line, since every t/b/tq row goes through it.
const LINES = [
  'smtp;421-4.7.28 [203.0.113.7      15] Our system has detected an unusual rate of unsolicited mail originating from your IP address. To protect our users from spam, mail sent from your IP address has been temporarily rate limited. For more information, go to https://support.google.com/mail/answer/188131 5b1f17b1804b1-42128b3f1a6si2385535wmb.123 - gsmtp',
  'smtp;421 4.7.0 [TSS04] Messages from 198.51.100.4 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes',
  'smtp;451 4.7.650 The mail server [198.51.100.4] has been temporarily rate limited due to IP reputation. For e-mail delivery information, see https://aka.ms/postmaster (S775) [Name=Protocol Filter Agent][AGT=PFA][MxId=11BA2F1C3E4D5A6B] [BN8NAM12FT012.eop-nam12.prod.protection.outlook.com 2024-05-14T09:12:33.123Z 08DC5D3F1A2B3C4D]',
  'smtp;550 5.1.1 <jane.doe@corp.example>: Recipient address rejected: User unknown in virtual mailbox table',
  'smtp;554 5.7.1 Service unavailable; Client host [198.51.100.4] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/198.51.100.4',
  'smtp;452 4.2.2 Mailbox full',
];

describe('diagTemplate micro-benchmark', () => {
  it('prints the time per line (no timing assertion)', () => {
    const expected = LINES.map(diagTemplate);
    const rounds = 5_000;
    let sink = 0;
    for (let i = 0; i < 500; i++) for (const line of LINES) sink += diagTemplate(line).length;
    const start = performance.now();
    for (let i = 0; i < rounds; i++) for (const line of LINES) sink += diagTemplate(line).length;
    const perLine = ((performance.now() - start) * 1000) / (rounds * LINES.length);
    const avgLength = LINES.reduce((n, l) => n + l.length, 0) / LINES.length;
    console.log(`diagTemplate: ${perLine.toFixed(2)} µs/line (average ${avgLength.toFixed(0)} chars)`);
    expect(sink).toBeGreaterThan(0);
    // Deterministic: the same input gives the same template after thousands of calls.
    expect(LINES.map(diagTemplate)).toEqual(expected);
  });
});
