import type { FeedbackLoop, HostKind } from './domains.ts';

export interface MajorDomain {
  name: string;
  provider: string;
  host: HostKind;
  /** Relative share of recipients (percent of all traffic before the long tail is added). */
  share: number;
  mx?: string;
  ipPrefixes: string[];
  rollup?: string;
  fbl?: FeedbackLoop;
}

const YAHOO_FBL: FeedbackLoop = {
  format: 'arf',
  userAgent: 'Yahoo!-Mail-Feedback/2.0',
  reportingMta: 'yahoo.com',
  reporterIp: '98.137.65.36',
  rate: 1.3,
};
const AOL_FBL: FeedbackLoop = { ...YAHOO_FBL, reportingMta: 'aol.com' };
const JMRP: FeedbackLoop = {
  format: 'jmrp',
  userAgent: 'Microsoft Junk Mail Reporting Program',
  reportingMta: 'hotmail.com',
  reporterIp: '52.100.155.220',
  rate: 1.6,
};

function arf(userAgent: string, reportingMta: string, reporterIp: string, rate = 1): FeedbackLoop {
  return { format: 'arf', userAgent, reportingMta, reporterIp, rate };
}

const GMAIL_IPS = ['142.250.27', '142.251.9', '64.233.184', '74.125.206'];
const YAHOO_IPS = ['67.195.204', '98.136.96', '67.195.228'];
const OUTLOOK_IPS = ['52.101.8', '52.101.42', '52.101.194', '40.92.18'];

function yahoo(name: string, share: number, fbl: FeedbackLoop = YAHOO_FBL): MajorDomain {
  const aol = name === 'aol.com' || name === 'aim.com';
  return {
    name,
    provider: 'Yahoo',
    host: 'yahoo',
    share,
    mx: aol ? 'mx-aol.mail.gm0.yahoodns.net' : `mta${5 + (name.length % 3)}.am0.yahoodns.net`,
    ipPrefixes: YAHOO_IPS,
    rollup: 'yahoo.rollup',
    fbl: aol ? AOL_FBL : fbl,
  };
}

function microsoft(name: string, share: number): MajorDomain {
  return {
    name,
    provider: 'Microsoft',
    host: 'microsoft',
    share,
    mx: `${name.replace(/\./g, '-')}.olc.protection.outlook.com`,
    ipPrefixes: OUTLOOK_IPS,
    fbl: JMRP,
  };
}

function isp(
  name: string,
  provider: string,
  share: number,
  prefix: string,
  fbl?: FeedbackLoop,
  host: HostKind = 'generic',
): MajorDomain {
  return { name, provider, host, share, ipPrefixes: [prefix], fbl };
}

/** Consumer mailbox providers with rough market shares for a European/US B2C sender. */
export const MAJOR_DOMAINS: readonly MajorDomain[] = [
  {
    name: 'gmail.com',
    provider: 'Google',
    host: 'google',
    share: 33.5,
    mx: 'gmail-smtp-in.l.google.com',
    ipPrefixes: GMAIL_IPS,
  },
  {
    name: 'googlemail.com',
    provider: 'Google',
    host: 'google',
    share: 1.5,
    mx: 'gmail-smtp-in.l.google.com',
    ipPrefixes: GMAIL_IPS,
  },
  yahoo('yahoo.com', 8),
  yahoo('aol.com', 3),
  yahoo('yahoo.co.uk', 1),
  yahoo('yahoo.fr', 1),
  yahoo('yahoo.de', 0.6),
  yahoo('ymail.com', 0.6),
  yahoo('rocketmail.com', 0.2),
  microsoft('hotmail.com', 6),
  microsoft('outlook.com', 5),
  microsoft('live.com', 2),
  microsoft('msn.com', 1),
  microsoft('hotmail.co.uk', 0.5),
  microsoft('hotmail.fr', 0.5),
  {
    name: 'icloud.com',
    provider: 'Apple',
    host: 'apple',
    share: 4,
    mx: 'mx01.mail.icloud.com',
    ipPrefixes: ['17.57.154', '17.56.9'],
  },
  {
    name: 'me.com',
    provider: 'Apple',
    host: 'apple',
    share: 0.7,
    mx: 'mx02.mail.icloud.com',
    ipPrefixes: ['17.57.155'],
  },
  {
    name: 'mac.com',
    provider: 'Apple',
    host: 'apple',
    share: 0.3,
    mx: 'mx01.mail.icloud.com',
    ipPrefixes: ['17.57.154'],
  },
  {
    name: 'comcast.net',
    provider: 'Comcast',
    host: 'comcast',
    share: 2.5,
    mx: 'mx1h1.comcast.net',
    ipPrefixes: ['96.103.145', '96.114.157'],
    fbl: arf('Comcast Feedback Loop (V0.01)', 'comcast.net', '68.87.29.140'),
  },
  {
    name: 'gmx.de',
    provider: 'GMX',
    host: 'gmx',
    share: 1.5,
    mx: 'mx00.emig.gmx.net',
    ipPrefixes: ['212.227.15', '212.227.17'],
    fbl: arf('GMX FBL 1.0', 'gmx.net', '212.227.17.168'),
  },
  {
    name: 'web.de',
    provider: 'WEB.DE',
    host: 'gmx',
    share: 1.5,
    mx: 'mx-ha02.web.de',
    ipPrefixes: ['212.227.15', '212.227.17'],
    fbl: arf('WEB.DE FBL 1.0', 'web.de', '212.227.17.169'),
  },
  {
    name: 'gmx.net',
    provider: 'GMX',
    host: 'gmx',
    share: 0.6,
    mx: 'mx01.emig.gmx.net',
    ipPrefixes: ['212.227.17'],
    fbl: arf('GMX FBL 1.0', 'gmx.net', '212.227.17.168'),
  },
  {
    name: 'gmx.com',
    provider: 'GMX',
    host: 'gmx',
    share: 0.4,
    mx: 'mx00.gmx.com',
    ipPrefixes: ['74.208.5'],
    fbl: arf('GMX FBL 1.0', 'gmx.net', '212.227.17.168'),
  },
  {
    name: 'orange.fr',
    provider: 'Orange',
    host: 'orange',
    share: 1,
    mx: 'smtp-in.orange.fr',
    ipPrefixes: ['80.12.242', '193.252.22'],
    fbl: arf('Signal Spam FBL', 'orange.fr', '80.12.66.40'),
  },
  {
    name: 'wanadoo.fr',
    provider: 'Orange',
    host: 'orange',
    share: 0.5,
    mx: 'smtp-in.orange.fr',
    ipPrefixes: ['80.12.242'],
    fbl: arf('Signal Spam FBL', 'orange.fr', '80.12.66.40'),
  },
  isp('t-online.de', 'Deutsche Telekom', 1.2, '194.25.134'),
  isp('free.fr', 'Free', 0.8, '212.27.48'),
  isp('sfr.fr', 'SFR', 0.4, '93.17.128'),
  isp('laposte.net', 'La Poste', 0.4, '160.92.124'),
  isp('libero.it', 'Italiaonline', 0.5, '213.209.1', arf('Libero FBL', 'libero.it', '213.209.1.129')),
  isp('virgilio.it', 'Italiaonline', 0.2, '213.209.1', arf('Libero FBL', 'libero.it', '213.209.1.129')),
  isp('mail.ru', 'Mail.Ru', 0.6, '94.100.180', arf('Mail.Ru FBL', 'mail.ru', '94.100.180.31', 1.2)),
  isp('yandex.ru', 'Yandex', 0.5, '77.88.21', arf('Yandex FBL', 'yandex.ru', '77.88.21.249')),
  isp('seznam.cz', 'Seznam', 0.3, '77.75.78', arf('Seznam FBL', 'seznam.cz', '77.75.78.128')),
  isp('wp.pl', 'Wirtualna Polska', 0.3, '212.77.101'),
  isp('o2.pl', 'Wirtualna Polska', 0.2, '193.17.41'),
  isp('btinternet.com', 'BT', 0.4, '65.20.0'),
  isp('sky.com', 'Sky', 0.3, '90.207.238'),
  isp('cox.net', 'Cox', 0.4, '68.99.120', arf('Cox FBL', 'cox.net', '68.99.120.1')),
  isp('charter.net', 'Charter', 0.3, '47.43.26'),
  isp('att.net', 'AT&T', 0.6, '144.160.159', arf('AT&T FBL', 'att.net', '144.160.159.22')),
  isp('sbcglobal.net', 'AT&T', 0.3, '144.160.159', arf('AT&T FBL', 'att.net', '144.160.159.22')),
  isp('verizon.net', 'Verizon', 0.3, '98.136.96'),
  isp('protonmail.com', 'Proton', 0.4, '185.70.42'),
  isp('proton.me', 'Proton', 0.2, '185.70.42'),
  isp('zoho.com', 'Zoho', 0.2, '136.143.188', arf('Zoho FBL', 'zoho.com', '136.143.188.51')),
  isp('fastmail.com', 'Fastmail', 0.1, '103.168.172', arf('Fastmail FBL', 'fastmail.com', '103.168.172.65')),
  isp('qq.com', 'Tencent', 0.3, '183.3.255'),
  isp('163.com', 'NetEase', 0.2, '220.181.14'),
  isp('naver.com', 'Naver', 0.1, '125.209.238'),
  isp('shaw.ca', 'Shaw', 0.2, '64.59.134'),
  isp('bigpond.com', 'Telstra', 0.2, '203.36.137'),
];

/** Placed at fixed Zipf ranks of the tail so small and large demos alike contain them. */
export const SPECIAL_TAIL_DOMAINS: readonly { name: string; rank: number; health: 'ok' | 'typo' | 'dead' }[] =
  [
    { name: 'bücher.de', rank: 2, health: 'ok' },
    { name: 'gmial.com', rank: 4, health: 'typo' },
    { name: 'müller-bau.de', rank: 7, health: 'ok' },
    { name: 'hotmial.com', rank: 10, health: 'typo' },
    { name: 'oldisp-mail.net', rank: 13, health: 'dead' },
    { name: 'café-paris.fr', rank: 16, health: 'ok' },
    { name: 'yahooo.com', rank: 21, health: 'typo' },
    { name: 'köln-shop.de', rank: 28, health: 'ok' },
    { name: 'gamil.com', rank: 36, health: 'typo' },
    { name: 'zürich-finanz.ch', rank: 45, health: 'ok' },
    { name: 'defunct-telecom.co.uk', rank: 55, health: 'dead' },
    { name: 'почта.рф', rank: 70, health: 'ok' },
    { name: 'outlok.com', rank: 85, health: 'typo' },
    { name: 'øresund-handel.dk', rank: 110, health: 'ok' },
  ];

export const TAIL_WORDS = {
  first: [
    'north',
    'blue',
    'river',
    'stone',
    'bright',
    'alpen',
    'nova',
    'delta',
    'green',
    'iron',
    'silver',
    'sun',
    'oak',
    'maple',
    'harbor',
    'summit',
    'pixel',
    'quantum',
    'cedar',
    'lake',
    'rhein',
    'atlas',
    'vista',
    'polar',
    'granite',
    'copper',
    'falcon',
    'meridian',
    'orbit',
    'prairie',
  ],
  second: [
    'tech',
    'works',
    'mail',
    'net',
    'systems',
    'bank',
    'group',
    'labs',
    'media',
    'logistics',
    'consult',
    'bau',
    'health',
    'design',
    'foods',
    'energy',
    'insurance',
    'partners',
    'trade',
    'studio',
    'motors',
    'pharma',
    'legal',
    'retail',
    'hotels',
  ],
  tlds: ['com', 'de', 'fr', 'co.uk', 'nl', 'it', 'es', 'net', 'org', 'ch', 'at', 'be', 'se', 'pl', 'io'],
} as const;
