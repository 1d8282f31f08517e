import { domainToASCII } from 'node:url';
import { quoteCsv } from './csv.ts';
import type { HostBehaviour } from './diagnostics.ts';
import { genericBehaviour } from './diagnostics-generic.ts';
import { googleBehaviour } from './diagnostics-google.ts';
import { microsoftBehaviour } from './diagnostics-microsoft.ts';
import { appleBehaviour, comcastBehaviour, gmxBehaviour, orangeBehaviour } from './diagnostics-others.ts';
import { yahooBehaviour } from './diagnostics-yahoo.ts';
import { MAJOR_DOMAINS, type MajorDomain, SPECIAL_TAIL_DOMAINS, TAIL_WORDS } from './domain-catalog.ts';
import type { Prng } from './prng.ts';

export type HostKind = 'google' | 'yahoo' | 'microsoft' | 'apple' | 'comcast' | 'gmx' | 'orange' | 'generic';

export const BEHAVIOURS: Record<HostKind, HostBehaviour> = {
  google: googleBehaviour,
  yahoo: yahooBehaviour,
  microsoft: microsoftBehaviour,
  apple: appleBehaviour,
  comcast: comcastBehaviour,
  gmx: gmxBehaviour,
  orange: orangeBehaviour,
  generic: genericBehaviour,
};

/** Feedback loop a mailbox provider runs (Gmail and Apple run none that reports recipients). */
export interface FeedbackLoop {
  format: 'arf' | 'jmrp';
  userAgent: string;
  reportingMta: string;
  reporterIp: string;
  /** Multiplier on the base complaint rate (JMRP users click "junk" more readily). */
  rate: number;
}

export interface RecipientDomain {
  /** As written in rcpt and queue (Unicode for IDN). */
  name: string;
  /** Punycode, as in dsnMta and VERP. */
  ascii: string;
  provider: string;
  host: HostKind;
  behaviour: HostBehaviour;
  mxHost: string;
  mxIps: string[];
  /** Queue name PowerMTA uses: the domain, or a rollup such as `yahoo.rollup`. */
  queueName: string;
  weight: number;
  fbl: FeedbackLoop | null;
  /** `typo` domains do not resolve; `dead` ones resolve to an MX that never answers. */
  health: 'ok' | 'typo' | 'dead';
  esmtpQuoted: string;
}

/** Share of traffic that goes to the long tail of corporate and small-ISP domains. */
const TAIL_SHARE = 0.12;
/** Typos and dead domains are a small slice of a list, whatever rank they got. */
const HEALTH_WEIGHT = { ok: 1, typo: 0.15, dead: 0.3 } as const;

function mxAddresses(rng: Prng, prefixes: readonly string[]): string[] {
  return prefixes.flatMap((prefix) => [`${prefix}.${1 + rng.int(250)}`, `${prefix}.${1 + rng.int(250)}`]);
}

function buildMajor(d: MajorDomain, weightScale: number, rng: Prng): RecipientDomain {
  const behaviour = BEHAVIOURS[d.host];
  return {
    name: d.name,
    ascii: d.name,
    provider: d.provider,
    host: d.host,
    behaviour,
    mxHost: d.mx ?? `mx${1 + rng.int(3)}.${d.name}`,
    mxIps: mxAddresses(rng, d.ipPrefixes),
    queueName: d.rollup ?? d.name,
    weight: d.share * weightScale,
    fbl: d.fbl ?? null,
    health: 'ok',
    esmtpQuoted: quoteCsv(behaviour.esmtp),
  };
}

function tailHost(rng: Prng, ascii: string): { host: HostKind; mx: string; prefixes: string[] } {
  const x = rng.next();
  if (x < 0.2) return { host: 'google', mx: 'aspmx.l.google.com', prefixes: ['142.250.153', '74.125.133'] };
  if (x < 0.45) {
    return {
      host: 'microsoft',
      mx: `${ascii.replace(/\./g, '-')}.mail.protection.outlook.com`,
      prefixes: ['52.101.68', '52.101.73'],
    };
  }
  if (x < 0.55) return { host: 'generic', mx: 'eu-smtp-inbound-1.mimecast.com', prefixes: ['195.130.217'] };
  if (x < 0.62) {
    return { host: 'generic', mx: `mx0a-00${rng.digits(4)}01.pphosted.com`, prefixes: ['148.163.156'] };
  }
  return {
    host: 'generic',
    mx: `${rng.pick(['mx', 'mail', 'mx1', 'smtp'])}.${ascii}`,
    prefixes: [
      `${rng.pick([37, 46, 62, 77, 81, 85, 91, 94, 178, 185, 193, 212, 213])}.${rng.int(256)}.${rng.int(256)}`,
    ],
  };
}

function syntheticTailName(index: number): string {
  const { first, second, tlds } = TAIL_WORDS;
  const a = first[index % first.length];
  const b = second[Math.floor(index / first.length) % second.length];
  const combos = first.length * second.length;
  const tld = tlds[(index * 7 + Math.floor(index / combos)) % tlds.length];
  const round = Math.floor(index / (combos * tlds.length));
  return `${a}${b}${round > 0 ? round : ''}.${tld}`;
}

/**
 * Builds `count` recipient domains: the big mailbox providers by market share, then a Zipf-shaped
 * long tail (IDN, typo and dead domains placed at fixed ranks so every demo has some).
 */
export function buildDomains(count: number, rng: Prng): RecipientDomain[] {
  const majors = [...MAJOR_DOMAINS].sort((a, b) => b.share - a.share).slice(0, Math.max(1, count));
  const majorShare = majors.reduce((sum, d) => sum + d.share, 0);
  const tailCount = Math.max(0, count - majors.length);
  const domains = majors.map((d) => buildMajor(d, (1 - (tailCount > 0 ? TAIL_SHARE : 0)) / majorShare, rng));
  if (tailCount === 0) return domains;

  const names: string[] = [];
  const specialsAt = new Map(SPECIAL_TAIL_DOMAINS.map((s) => [s.rank, s]));
  const used = new Set(domains.map((d) => d.name));
  let synthetic = 0;
  for (let rank = 0; names.length < tailCount; rank++) {
    const special = specialsAt.get(rank);
    let name = special?.name ?? syntheticTailName(synthetic++);
    while (used.has(name)) name = syntheticTailName(synthetic++);
    used.add(name);
    names.push(name);
  }

  let harmonic = 0;
  for (let i = 0; i < tailCount; i++) harmonic += 1 / (i + 1) ** 0.95;
  for (let i = 0; i < tailCount; i++) {
    const name = names[i];
    const ascii = domainToASCII(name) || name;
    const special = SPECIAL_TAIL_DOMAINS.find((s) => s.name === name);
    const health = special?.health ?? 'ok';
    const { host, mx, prefixes } = tailHost(rng, ascii);
    const behaviour = BEHAVIOURS[host];
    domains.push({
      name,
      ascii,
      provider: 'Other',
      host,
      behaviour,
      mxHost: health === 'typo' ? '' : mx,
      mxIps: health === 'typo' ? [''] : mxAddresses(rng, prefixes),
      queueName: name,
      weight: (TAIL_SHARE * HEALTH_WEIGHT[health]) / (i + 1) ** 0.95 / harmonic,
      fbl: null,
      health,
      esmtpQuoted: quoteCsv(behaviour.esmtp),
    });
  }
  return domains;
}
