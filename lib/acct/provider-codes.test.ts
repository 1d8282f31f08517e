import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { diagTemplate } from './diag-template.ts';
import builtinJson from './provider-codes.json' with { type: 'json' };
import { annotateDiag, listProviderCodes, loadProviderCodes, resetProviderCodes } from './provider-codes.ts';
import { parseProviderCodes } from './provider-codes-file.ts';

function writeCodesFile(content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'acct-codes-')), 'codes.json');
  writeFileSync(path, content);
  return path;
}

afterEach(() => {
  delete process.env.ACCT_PROVIDER_CODES_FILE;
  resetProviderCodes();
});

// [expected id, provider passed, diagnostic]
const KNOWN: readonly (readonly [string, string | undefined, string])[] = [
  [
    'google-rate-limited-unsolicited',
    'Google',
    'smtp;421-4.7.28 [1.2.3.4 15] Our system has detected an unusual rate of unsolicited mail originating from your IP address. - gsmtp',
  ],
  [
    'google-rate-limited-unsolicited',
    'Google',
    'smtp;550-5.7.28 [1.2.3.4 15] Our system has detected an unusual rate of unsolicited mail originating from your IP address. - gsmtp',
  ],
  [
    'google-spf',
    'Google',
    "smtp;421-4.7.27 Your email has been rate limited because SPF authentication didn't pass for this message.",
  ],
  [
    'google-spf',
    'Google',
    "smtp;550-5.7.27 This mail has been blocked because the sender's SPF didn't pass.",
  ],
  [
    'google-unauthenticated',
    'Google',
    'smtp;550-5.7.26 This mail has been blocked because the sender is unauthenticated. Gmail requires all senders to authenticate with either SPF or DKIM.',
  ],
  [
    'google-tls',
    'Google',
    "smtp;421-4.7.29 Your email has been rate limited because this message wasn't sent over a TLS connection.",
  ],
  [
    'generic-tls-required',
    'Google',
    'smtp;421-4.7.0 This mail has been rate limited because it was not sent over TLS. - gsmtp',
  ],
  [
    'google-blocked',
    'Google',
    'smtp;550-5.7.1 [1.2.3.4 12] Our system has detected that this message is likely unsolicited mail. https://support.google.com/mail/?p=UnsolicitedMessageError - gsmtp',
  ],
  [
    'google-receiving-rate',
    'Google',
    'smtp;450-4.2.1 The user you are trying to contact is receiving mail at a rate that prevents additional messages from being delivered. https://support.google.com/mail/?p=ReceivingRate - gsmtp',
  ],
  [
    'google-disabled',
    'Google',
    'smtp;550-5.2.1 The email account that you tried to reach is disabled. https://support.google.com/mail/?p=DisabledUser - gsmtp',
  ],
  [
    'google-no-such-user',
    'Google',
    'smtp;550-5.1.1 The email account that you tried to reach does not exist. https://support.google.com/mail/?p=NoSuchUser - gsmtp',
  ],
  [
    'google-low-reputation',
    'Google',
    'smtp;421-4.7.0 [1.2.3.4 15] Our system has detected that this message is suspicious due to the very low reputation of the sending IP address. - gsmtp',
  ],
  [
    'yahoo-tss04',
    'Yahoo',
    'smtp;421 4.7.0 [TSS04] Messages from 1.2.3.4 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1',
  ],
  [
    'yahoo-tss09',
    'Yahoo',
    'smtp;421 4.7.0 [TSS09] All messages from 1.2.3.4 will be permanently deferred; Retrying will NOT succeed.',
  ],
  [
    'yahoo-ts01',
    'Yahoo',
    'smtp;421 4.7.0 [TS01] Messages from 1.2.3.4 temporarily deferred due to user complaints - 4.16.55.1',
  ],
  [
    'yahoo-ts02',
    'Yahoo',
    'smtp;421 4.7.0 [TS02] Messages from 1.2.3.4 temporarily deferred due to user complaints - 4.16.55.1',
  ],
  [
    'yahoo-ts03',
    'Yahoo',
    'smtp;421 4.7.0 [TS03] All messages from 1.2.3.4 will be permanently deferred; Retrying will NOT succeed.',
  ],
  [
    'yahoo-policy',
    'Yahoo',
    'smtp;554 5.7.9 Message not accepted for policy reasons.  See https://postmaster.yahooinc.com/error-codes',
  ],
  [
    'yahoo-spamhaus',
    'Yahoo',
    "smtp;553 5.7.1 [BL21] Connections will not be accepted from 1.2.3.4, because the ip is in Spamhaus's list",
  ],
  [
    'yahoo-mailbox-disabled',
    'Yahoo',
    'smtp;554 30 Sorry, your message to a@aol.com cannot be delivered. This mailbox is disabled (554.30).',
  ],
  ['yahoo-no-such-user', 'Yahoo', 'smtp;552 1 Requested mail action aborted, mailbox not found'],
  [
    'microsoft-s3150',
    'Microsoft',
    "smtp;550 5.7.1 Unfortunately, messages from [1.2.3.4] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150).",
  ],
  [
    'microsoft-s3140',
    'Microsoft',
    "smtp;550 5.7.1 Unfortunately, messages from [1.2.3.4] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3140).",
  ],
  [
    'microsoft-server-busy',
    'Microsoft',
    'smtp;451 4.7.500 Server busy. Please try again later from [1.2.3.4]. (S77714)',
  ],
  [
    'microsoft-banned-ip',
    'Microsoft',
    'smtp;550 5.7.606 Access denied, banned sending IP [1.2.3.4]. AS(1430)',
  ],
  ['microsoft-banned-ip', 'Microsoft', 'smtp;550 5.7.607 Access denied, banned sending IP [1.2.3.4].'],
  ['microsoft-banned-ip', 'Microsoft', 'smtp;550 5.7.608 Access denied, banned sending IP [1.2.3.4].'],
  [
    'microsoft-ip-reputation',
    'Microsoft',
    'smtp;451 4.7.650 The mail server [1.2.3.4] has been temporarily rate limited due to IP reputation. (S775)',
  ],
  [
    'microsoft-banned-sender',
    'Microsoft',
    'smtp;550 5.7.511 Access denied, banned sender[1.2.3.4]. To request removal from this list, forward this message to delist@microsoft.com.',
  ],
  ['microsoft-as-code', 'Microsoft', 'smtp;550 5.7.520 Message blocked. AS(7124)'],
  [
    'microsoft-authentication',
    'Microsoft',
    'smtp;550 5.7.515 Access denied, sending domain [SHOP.EXAMPLE] does not meet the required authentication level.',
  ],
  [
    'apple-local-policy',
    'Apple',
    'smtp;554 5.7.1 [CS01] Message rejected due to local policy. Please visit https://support.apple.com/en-us/HT204137',
  ],
  [
    'comcast-blocklist',
    'Comcast',
    'smtp;554 resimta-h1p-1.sys.comcast.net 1.2.3.4 found on one or more DNSBLs, see http://postmaster.comcast.net/smtp-error-codes.php#BL000001',
  ],
  [
    'comcast-rate-limit',
    'Comcast',
    'smtp;421 resimta-h1p-1.sys.comcast.net Too many sessions opened. See https://postmaster.comcast.net/smtp-error-codes.php#RL000010',
  ],
  [
    'united-internet-policy',
    'United Internet',
    'smtp;554-mx00.emig.gmx.net Nemesis ESMTP Service not available 554-Reject due to policy restrictions.',
  ],
  [
    'orange-refused',
    'Orange',
    'smtp;554 5.7.1 Service refuse. Service refused, please try later. OFR_506 [506]',
  ],
  ['generic-message-expired', undefined, '4.4.7 (delivery time expired)'],
  ['generic-bad-domain', undefined, 'smtp;550 5.1.2 [internal] no MX or A record for domain'],
  ['generic-bad-domain', undefined, 'smtp;550 5.4.4 Unable to route: no mail hosts for domain'],
  [
    'generic-spamhaus',
    'Other',
    'smtp;554 5.7.1 Service unavailable; Client host [1.2.3.4] blocked using zen.spamhaus.org',
  ],
  [
    'generic-barracuda',
    'Other',
    'smtp;554 5.7.1 Service unavailable; Client host [1.2.3.4] blocked using b.barracudacentral.org',
  ],
  [
    'generic-spamcop',
    'Other',
    'smtp;554 5.7.1 Service unavailable; Client host [1.2.3.4] blocked using bl.spamcop.net',
  ],
  [
    'generic-user-unknown',
    'Other',
    'smtp;550 5.1.1 <a@corp.example>: Recipient address rejected: User unknown in virtual mailbox table',
  ],
  ['generic-greylisting', 'Other', 'smtp;450 4.2.0 <a@corp.example>: Recipient address rejected: Greylisted'],
  ['generic-mailbox-full', 'Other', 'smtp;452 4.2.2 <a@corp.example>: Mailbox full'],
  ['generic-policy-rejection', 'Other', 'smtp;550 5.7.1 Message rejected by local policy.'],
];

describe('annotateDiag', () => {
  it.each(KNOWN)('annotates %s (%s)', (id, provider, diag) => {
    expect(annotateDiag(diag, provider)?.id).toBe(id);
    // The stored template annotates the same way as the raw line.
    expect(annotateDiag(diagTemplate(diag), provider)?.id).toBe(id);
  });

  it('returns title, meaning, fix and provider of the entry', () => {
    const a = annotateDiag('smtp;421 4.7.0 [TSS04] Messages from 1.2.3.4 temporarily deferred', 'Yahoo');
    expect(a).toMatchObject({ id: 'yahoo-tss04', provider: 'Yahoo', source: 'builtin' });
    expect(a?.title).toMatch(/deferred/i);
    expect(a?.meaning.length).toBeGreaterThan(20);
    expect(a?.fix.length).toBeGreaterThan(20);
  });

  it('prefers a specific code over the block list or catch-all it also mentions', () => {
    // Provider-specific code beats the generic Spamhaus entry and the AS(…) catch-all.
    expect(annotateDiag("553 5.7.1 [BL21] ... because the ip is in Spamhaus's list", 'Yahoo')?.id).toBe(
      'yahoo-spamhaus',
    );
    expect(
      annotateDiag('550 5.7.1 Client host [<ip>] blocked using Spamhaus AS(1440)', 'Microsoft')?.id,
    ).toBe('generic-spamhaus');
    // A corporate domain hosted at Microsoft 365 is provider 'Other' but answers with Microsoft codes.
    expect(annotateDiag("550 5.7.1 weren't sent (S3150)", 'Other')?.id).toBe('microsoft-s3150');
    // An exact code is a whole token.
    expect(annotateDiag('421 4.7.0 [TS010] something', 'Yahoo')?.id).toBe('generic-policy-deferral');
  });

  it('does not credit a generic reply to a provider because of its status code alone', () => {
    expect(annotateDiag('smtp;550 5.1.1 <a@b.example>: user does not exist', 'Apple')?.id).toBe(
      'generic-user-unknown',
    );
    expect(
      annotateDiag('smtp;550 5.2.1 <a@b.example>: Mailbox disabled for this recipient', 'Other')?.id,
    ).toBe('generic-mailbox-disabled');
  });

  it('returns null for a reply nothing is known about', () => {
    expect(annotateDiag('250 2.0.0 Ok: queued as <id>')).toBeNull();
    expect(annotateDiag('')).toBeNull();
  });

  it('covers the ids and providers used in the built-in file, which validates', () => {
    const codes = parseProviderCodes(builtinJson, 'builtin');
    expect(codes.length).toBeGreaterThanOrEqual(60);
    const providers = new Set(codes.map((c) => c.provider));
    for (const p of ['Google', 'Yahoo', 'Microsoft', 'Apple', 'Comcast', 'United Internet', 'Orange', null]) {
      expect(providers.has(p)).toBe(true);
    }
    expect(listProviderCodes().length).toBe(codes.length);
  });
});

describe('ACCT_PROVIDER_CODES_FILE', () => {
  it('adds entries that are tried first and overrides built-ins by id', () => {
    process.env.ACCT_PROVIDER_CODES_FILE = writeCodesFile(
      JSON.stringify([
        {
          id: 'corp-gateway-block',
          provider: 'Other',
          match: 'CORPGW-\\d+',
          title: 'Corporate gateway block',
          meaning: 'Our partner gateway refuses the IP.',
          fix: 'Call the partner.',
        },
        {
          id: 'yahoo-tss04',
          provider: 'Yahoo',
          code: 'TSS04',
          title: 'Yahoo throttling (site note)',
          meaning: 'Seen during every Monday campaign.',
          fix: 'Move the campaign.',
        },
      ]),
    );
    expect(annotateDiag('550 5.7.1 rejected CORPGW-17')).toMatchObject({
      id: 'corp-gateway-block',
      source: 'file',
    });
    const tss04 = annotateDiag('421 4.7.0 [TSS04] Messages from <ip> temporarily deferred', 'Yahoo');
    expect(tss04).toMatchObject({ title: 'Yahoo throttling (site note)', source: 'file' });
    expect(listProviderCodes().filter((c) => c.id === 'yahoo-tss04')).toHaveLength(1);
    // Built-ins not overridden still apply.
    expect(annotateDiag('421 4.7.0 [TSS09] All messages', 'Yahoo')?.id).toBe('yahoo-tss09');
  });

  it('fails with the file, the entry index, its id and the field when an entry is bad', () => {
    process.env.ACCT_PROVIDER_CODES_FILE = writeCodesFile(
      JSON.stringify([
        { id: 'ok', provider: null, code: 'X1', title: 't', meaning: 'm', fix: 'f' },
        { id: 'broken-regex', provider: 'Google', match: '([unclosed', title: 't', meaning: 'm', fix: 'f' },
      ]),
    );
    expect(() => annotateDiag('anything')).toThrow(
      /^ACCT_PROVIDER_CODES_FILE: provider codes file .*codes\.json: entry 1 \("broken-regex"\): match: match is not a valid regular expression$/,
    );
    // Keeps failing rather than silently running without the file.
    expect(() => annotateDiag('anything')).toThrow(/ACCT_PROVIDER_CODES_FILE/);
  });

  it.each([
    ['not JSON', '{', /is not valid JSON/],
    ['not an array', '{"id": "x"}', /must be a JSON array/],
    ['missing title', '[{"id":"a","code":"X1","meaning":"m","fix":"f"}]', /entry 0 \("a"\): title: /],
    [
      'both match and code',
      '[{"id":"a","code":"X1","match":"X","title":"t","meaning":"m","fix":"f"}]',
      /exactly one of "match"/,
    ],
    [
      'unknown field',
      '[{"id":"a","code":"X1","title":"t","meaning":"m","fix":"f","severity":3}]',
      /entry 0 \("a"\)/,
    ],
    [
      'duplicate id',
      '[{"id":"a","code":"X1","title":"t","meaning":"m","fix":"f"},{"id":"a","code":"X2","title":"t","meaning":"m","fix":"f"}]',
      /id "a" appears twice/,
    ],
  ])('rejects a file that is %s', (_what, content, message) => {
    const path = writeCodesFile(content);
    expect(() => loadProviderCodes(path)).toThrow(message);
    expect(() => loadProviderCodes(path)).toThrow(path);
  });

  it('names a missing file', () => {
    expect(() => loadProviderCodes('/nonexistent/codes.json')).toThrow(
      /provider codes file \/nonexistent\/codes\.json: cannot be read/,
    );
  });
});
