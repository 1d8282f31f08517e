import { describe, expect, it } from 'vitest';
import { diagTemplate, MAX_TEMPLATE_LENGTH, templateKey } from './diag-template.ts';

// Real-world shapes of dsnDiag, one per provider and reason, with the template each must produce.
const CASES: readonly (readonly [string, string, string])[] = [
  [
    'Gmail 4.7.28 rate limited',
    'smtp;421-4.7.28 [203.0.113.7      15] Our system has detected an unusual rate of unsolicited mail originating from your IP address. To protect our users from spam, mail sent from your IP address has been temporarily rate limited. For more information, go to https://support.google.com/mail/answer/188131 5b1f17b1804b1-42128b3f1a6si2385535wmb.123 - gsmtp',
    '421 4.7.28 [<ip> 15] Our system has detected an unusual rate of unsolicited mail originating from your IP address. To protect our users from spam, mail sent from your IP address has been temporarily rate limited. For more information, go to https://support.google.com/mail/answer/188131 <id> - gsmtp',
  ],
  [
    'Gmail 5.1.1 multi-line reply',
    "smtp;550-5.1.1 The email account that you tried to reach does not exist. Please try\n550-5.1.1 double-checking the recipient's email address for typos or\n550-5.1.1 unnecessary spaces. Learn more at\n550 5.1.1  https://support.google.com/mail/?p=NoSuchUser d2e1a72fcca58-7a3f0c2b1e1si1234567pfb.57 - gsmtp",
    "550 5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos or unnecessary spaces. Learn more at https://support.google.com/mail/?p=NoSuchUser <id> - gsmtp",
  ],
  [
    'Gmail 5.7.26 unauthenticated',
    'smtp;550-5.7.26 This mail has been blocked because the sender is unauthenticated. Gmail requires all senders to authenticate with either SPF or DKIM. Authentication results: DKIM = did not pass SPF [news.example] with ip: [203.0.113.7] = did not pass',
    '550 5.7.26 This mail has been blocked because the sender is unauthenticated. Gmail requires all senders to authenticate with either SPF or DKIM. Authentication results: DKIM = did not pass SPF [<domain>] with ip: [<ip>] = did not pass',
  ],
  [
    'Yahoo TSS04 keeps its internal 4.16.55.1 code',
    'smtp;421 4.7.0 [TSS04] Messages from 198.51.100.4 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes',
    '421 4.7.0 [TSS04] Messages from <ip> temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes',
  ],
  [
    'Yahoo 553 5.7.1 [BL21] Spamhaus',
    "smtp;553 5.7.1 [BL21] Connections will not be accepted from 198.51.100.4, because the ip is in Spamhaus's list; see https://postmaster.yahooinc.com/error-codes",
    "553 5.7.1 [BL21] Connections will not be accepted from <ip>, because the ip is in Spamhaus's list; see https://postmaster.yahooinc.com/error-codes",
  ],
  [
    'AOL/Yahoo nonexistent user with its numbered MTA',
    "smtp;554 delivery error: dd This user doesn't have a aol.com account (jo.smith@aol.com) [0] - mta1234.mail.gq1.yahoo.com",
    "554 delivery error: dd This user doesn't have a <domain> account (<email>) [0] - <host>.yahoo.com",
  ],
  [
    'Microsoft S3150 with filter-agent trailer (capped at a word boundary)',
    "smtp;550 5.7.1 Unfortunately, messages from [198.51.100.4] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150). You can also refer your provider to http://mail.live.com/mail/troubleshooting.aspx#errors. [Name=Protocol Filter Agent][AGT=PFA][MxId=11BA2F1C3E4D5A6B] [DB5PEPF00014B8D.eurprd02.prod.outlook.com 2024-05-14T09:12:33.123Z 08DC5D3F1A2B3C4D]",
    "550 5.7.1 Unfortunately, messages from [<ip>] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150). You can also refer your provider to http://mail.live.com/mail/troubleshooting.aspx#errors. [Name=Protocol Filter",
  ],
  [
    'Microsoft 5.7.606 keeps AS(1430) and the help link id',
    'smtp;550 5.7.606 Access denied, banned sending IP [198.51.100.4]. To request removal from this list please visit https://sender.office.com/ and follow the directions. For more information please go to  http://go.microsoft.com/fwlink/?LinkID=526655 AS(1430) [BN8NAM12FT012.eop-nam12.prod.protection.outlook.com 2024-05-14T09:12:33.123Z 08DC5D3F1A2B3C4D]',
    '550 5.7.606 Access denied, banned sending IP [<ip>]. To request removal from this list please visit https://sender.office.com/ and follow the directions. For more information please go to http://go.microsoft.com/fwlink/?LinkID=526655 AS(1430) [<host>.outlook.com <time> <id>]',
  ],
  [
    'Microsoft 4.7.500 S77714',
    'smtp;451 4.7.500 Server busy. Please try again later from [198.51.100.4]. (S77714) [AM4PEPF00027A5F.eurprd04.prod.outlook.com 2024-05-14T09:12:33.123Z 08DC5D3F1A2B3C4D]',
    '451 4.7.500 Server busy. Please try again later from [<ip>]. (S77714) [<host>.outlook.com <time> <id>]',
  ],
  [
    'Apple iCloud HM08',
    'smtp;554 5.7.1 [HM08] Message rejected due to local policy. Please visit https://support.apple.com/en-us/HT204137',
    '554 5.7.1 [HM08] Message rejected due to local policy. Please visit https://support.apple.com/en-us/HT204137',
  ],
  [
    'Apple iCloud unknown user',
    'smtp;550 5.1.1 <john.doe@icloud.com>: user does not exist',
    '550 5.1.1 <email>: user does not exist',
  ],
  [
    'Comcast DNSBL with repeated resimta host',
    'smtp;554 resimta-h1p-123456.sys.comcast.net resimta-h1p-123456.sys.comcast.net 198.51.100.4 found on one or more DNSBLs, see http://postmaster.comcast.net/smtp-error-codes.php#BL000001',
    '554 <host>.comcast.net <host>.comcast.net <ip> found on one or more DNSBLs, see http://postmaster.comcast.net/smtp-error-codes.php#BL000001',
  ],
  [
    'GMX Nemesis: case code kept, ip and ref masked',
    'smtp;554-mx00.emig.gmx.net (mxgmx117) Nemesis ESMTP Service not available 554-No SMTP service 554-Bad DNS PTR resource record. 554 For explanation visit https://postmaster.gmx.net/en/case?c=r0601&i=ip&v=198.51.100.4&r=0MxAbc-1yZqRs2WtU-00Hk3L',
    '554 <host>.gmx.net (mxgmx<n>) Nemesis ESMTP Service not available No SMTP service Bad DNS PTR resource record. 554 For explanation visit https://postmaster.gmx.net/en/case?c=r0601&i=ip&v=<ip>&r=<id>',
  ],
  [
    'Web.de policy',
    'smtp;421-mx-ha02.web.de (mxweb112) Nemesis ESMTP Service not available 421-Service unavailable 421-Reject due to policy restrictions. 421 For explanation visit https://postmaster.web.de/en/case?c=r0701&i=ip&v=198.51.100.4&r=1MbQxZ-1s8fGh0aBc-00XyZ9',
    '421 <host>.web.de (mxweb<n>) Nemesis ESMTP Service not available Service unavailable Reject due to policy restrictions. 421 For explanation visit https://postmaster.web.de/en/case?c=r0701&i=ip&v=<ip>&r=<id>',
  ],
  [
    'Orange OFR_999 with its numbered node',
    'smtp;421 mwinf5c27 ME Service refuse. Veuillez essayer plus tard. Service refused, please try later. OFR_999 [999]',
    '421 <id> ME Service refuse. Veuillez essayer plus tard. Service refused, please try later. OFR_999 [999]',
  ],
  [
    'Mimecast invalid recipient',
    'smtp;550 Invalid Recipient - https://community.mimecast.com/docs/DOC-1369#550 [mQ4ABcDeFgHiJkLmNoPq12.uk123]',
    '550 Invalid Recipient - https://community.mimecast.com/docs/DOC-1369#550 [<id>.uk<n>]',
  ],
  [
    'Mimecast anti-spoofing with from=<address>',
    'smtp;550 Rejected by header based Anti-Spoofing policy: jane@corp.example inside from=<news@shop.example>',
    '550 Rejected by header based Anti-Spoofing policy: <email> inside from=<email>',
  ],
  [
    'Proofpoint block with ip in the query',
    'smtp;554 5.7.1 Blocked - see https://ipcheck.proofpoint.com/?ip=198.51.100.4',
    '554 5.7.1 Blocked - see https://ipcheck.proofpoint.com/?ip=<ip>',
  ],
  [
    'Spamhaus via Postfix: the zone stays, the lookup ip is masked',
    'smtp;554 5.7.1 Service unavailable; Client host [198.51.100.4] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/198.51.100.4',
    '554 5.7.1 Service unavailable; Client host [<ip>] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/<ip>',
  ],
  [
    'Barracuda',
    'smtp;554 5.7.1 Service unavailable; Client host [198.51.100.4] blocked using b.barracudacentral.org; http://www.barracudanetworks.com/reputation/?pr=1&ip=198.51.100.4',
    '554 5.7.1 Service unavailable; Client host [<ip>] blocked using b.barracudacentral.org; http://www.barracudanetworks.com/reputation/?pr=1&ip=<ip>',
  ],
  [
    'DNSBL query name with the reversed ip',
    'smtp;550 5.7.1 Rejected: 4.100.51.198.zen.spamhaus.org listed at Mon, 14 May 2024 09:12:33 +0000',
    '550 5.7.1 Rejected: <ip>.zen.spamhaus.org listed at <time>',
  ],
  [
    'Postfix user unknown',
    'smtp;550 5.1.1 <jane@corp.example>: Recipient address rejected: User unknown in local recipient table',
    '550 5.1.1 <email>: Recipient address rejected: User unknown in local recipient table',
  ],
  [
    'Postfix greylisting with the recipient domain in the help URL',
    'smtp;450 4.2.0 <bob@bücher.de>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/bücher.de.html',
    '450 4.2.0 <email>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/<domain>.html',
  ],
  [
    'Postfix success with queue id',
    'smtp;250 2.0.0 Ok: queued as 4A1B2C3D4E',
    '250 2.0.0 Ok: queued as <id>',
  ],
  [
    'Exim sender verify, multi-line without enhanced codes',
    'smtp;550-Verification failed for <bounce-x=corp.example@bounces.shop.example>\n550-Unrouteable address\n550 Sender verify failed',
    '550 Verification failed for <email> Unrouteable address Sender verify failed',
  ],
  [
    'IPv6 address and ISO timestamp with offset',
    'smtp;451 4.7.1 [IPv6:2a01:4f8:c2c:123f::1] temporarily rejected at 2024-05-14 09:12:33 +0200',
    '451 4.7.1 [IPv6:<ip>] temporarily rejected at <time>',
  ],
  [
    'virus scanner id',
    'smtp;554 5.7.0 Reject, id=12345-67 - INFECTED: Eicar-Signature',
    '554 5.7.0 Reject, id=<id> - INFECTED: Eicar-Signature',
  ],
  [
    'Microsoft success line: sizes, rates and internal ids',
    'smtp;250 2.6.0 <abc123@shop.example> [InternalId=12345678901234, Hostname=AM1PEPF000ABCD.eurprd02.prod.outlook.com] 41159 bytes in 0.123, 45.678 KB/sec Queued mail for delivery',
    '250 2.6.0 <email> [InternalId=<n>, Hostname=<host>.outlook.com] <n> bytes in <n>, <n> KB/sec Queued mail for delivery',
  ],
];

describe('diagTemplate', () => {
  it.each(CASES)('%s', (_name, diag, template) => {
    expect(diagTemplate(diag)).toBe(template);
  });

  it('maps lines that differ only in their variable parts to one template', () => {
    const variants = [
      'smtp;421 4.7.0 [TSS04] Messages from 198.51.100.4 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes',
      'smtp;421 4.7.0 [TSS04] Messages from 203.0.113.250 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes',
      'SMTP; 421   4.7.0 [TSS04] Messages from 192.0.2.1\r\ntemporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes ',
    ];
    expect(new Set(variants.map(diagTemplate)).size).toBe(1);

    const microsoft = (host: string, ip: string, stamp: string, id: string) =>
      `smtp;451 4.7.650 The mail server [${ip}] has been temporarily rate limited due to IP reputation. For e-mail delivery information, see https://aka.ms/postmaster (S775) [${host} ${stamp} ${id}]`;
    expect(
      diagTemplate(
        microsoft(
          'DB5PEPF00014B8D.eurprd02.prod.outlook.com',
          '1.2.3.4',
          '2024-05-14T09:12:33.123Z',
          '08DC5D3F1A2B3C4D',
        ),
      ),
    ).toBe(
      diagTemplate(
        microsoft(
          'SN1PEPF0002BA4E.namprd11.prod.outlook.com',
          '9.8.7.6',
          '2025-01-02T23:59:01.9Z',
          'F0DC1A2B3C4D5E6F',
        ),
      ),
    );

    const gmail = (id: string) =>
      `smtp;452-4.2.2 The recipient's inbox is out of storage space. Please direct the recipient to https://support.google.com/mail/?p=OverQuotaTemp ${id} - gsmtp`;
    expect(diagTemplate(gmail('5b1f17b1804b1-42128b3f1a6si2385535wmb.123'))).toBe(
      diagTemplate(gmail('a640c23a62f3a-a8d2486aeb1si112233ejc.7')),
    );
  });

  it('keeps different reasons apart, even from the same provider with the same status code', () => {
    const templates = [
      'smtp;421 4.7.0 [TSS04] Messages from 1.2.3.4 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1',
      'smtp;421 4.7.0 [TS01] Messages from 1.2.3.4 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1',
      'smtp;421 4.7.0 [TSS09] All messages from 1.2.3.4 will be permanently deferred; Retrying will NOT succeed.',
      "smtp;550 5.7.1 Unfortunately, messages from [1.2.3.4] weren't sent. (S3150)",
      "smtp;550 5.7.1 Unfortunately, messages from [1.2.3.4] weren't sent. (S3140)",
      'smtp;550 5.7.1 Service unavailable; Client host [1.2.3.4] blocked using zen.spamhaus.org',
      'smtp;550 5.7.1 Service unavailable; Client host [1.2.3.4] blocked using bl.spamcop.net',
      'smtp;550-5.7.1 [1.2.3.4] Our system has detected that this message is likely unsolicited mail. https://support.google.com/mail/?p=UnsolicitedMessageError',
      'smtp;550-5.7.1 [1.2.3.4] Our system has detected that this message is likely unsolicited mail. https://support.google.com/mail/?p=BlockedMessage',
      'smtp;421 4.7.28 rate limited',
      'smtp;421 4.7.27 rate limited',
      'smtp;554 5.7.1 Service refused. OFR_506 [506]',
      'smtp;554 5.7.1 Service refused. OFR_999 [999]',
      'smtp;550 5.7.606 Access denied AS(1430)',
      'smtp;550 5.7.606 Access denied AS(1440)',
    ].map(diagTemplate);
    expect(new Set(templates).size).toBe(templates.length);
  });

  it('collapses whitespace, drops the smtp; prefix and caps the length at a word boundary', () => {
    expect(diagTemplate('  smtp;550   5.1.1\n\tUser   unknown  ')).toBe('550 5.1.1 User unknown');
    expect(diagTemplate('')).toBe('');
    const long = `smtp;550 5.7.1 ${'blocked because of policy '.repeat(40)}`;
    const template = diagTemplate(long);
    expect(template.length).toBeLessThanOrEqual(MAX_TEMPLATE_LENGTH);
    expect(template.length).toBeGreaterThan(MAX_TEMPLATE_LENGTH - 60);
    expect(template.endsWith(' ')).toBe(false);
    expect(long.replace('smtp;', '').startsWith(template)).toBe(true);
  });

  it('never ends a capped template inside a placeholder', () => {
    // No space in the last 60 characters: a hard cut that would land in `[<ip>]`.
    const template = diagTemplate(`smtp;550 ${'x'.repeat(150)} ${'y'.repeat(141)}[1.2.3.4]`);
    expect(template).toBe(`550 ${'x'.repeat(150)} ${'y'.repeat(141)}[`);
  });
});

describe('templateKey', () => {
  it('is 16 hex digits, stable for a template and different between templates', () => {
    const a = templateKey('421 4.7.0 [TSS04] Messages from <ip> temporarily deferred');
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(templateKey('421 4.7.0 [TSS04] Messages from <ip> temporarily deferred')).toBe(a);
    expect(templateKey('421 4.7.0 [TS01] Messages from <ip> temporarily deferred')).not.toBe(a);
    // sha1('') = da39a3ee5e6b4b0d3255bfef95601890afd80709
    expect(templateKey('')).toBe('da39a3ee5e6b4b0d');
  });
});
