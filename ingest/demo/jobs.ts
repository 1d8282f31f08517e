import type { Prng } from './prng.ts';
import type { Vmta } from './world.ts';

interface Brand {
  name: string;
  domain: string;
}

interface JobKind {
  kind: string;
  transactional: boolean;
  sizeMedian: number;
  complaintMult: number;
  bounceMult: number;
  subject: string;
}

export interface Job {
  id: string;
  kind: string;
  brand: Brand;
  pool: string;
  vmtas: Vmta[];
  weight: number;
  complaintMult: number;
  bounceMult: number;
  sizeMedian: number;
  subject: string;
  from: string;
  srcType: string;
  srcMta: string;
}

const BRANDS: readonly Brand[] = [
  { name: 'Northwind Shop', domain: 'shop.example' },
  { name: 'Contoso Travel', domain: 'travel.example' },
  { name: 'Fabrikam Bank', domain: 'bank.example' },
  { name: 'Tailspin News', domain: 'news.example' },
  { name: 'Adatum Cloud', domain: 'cloud.example' },
];

const KINDS: readonly JobKind[] = [
  {
    kind: 'newsletter',
    transactional: false,
    sizeMedian: 48_000,
    complaintMult: 1,
    bounceMult: 1,
    subject: 'Your weekly picks are here',
  },
  {
    kind: 'promo',
    transactional: false,
    sizeMedian: 62_000,
    complaintMult: 2,
    bounceMult: 1.1,
    subject: 'Flash sale: 30% off, today only',
  },
  {
    kind: 'receipt',
    transactional: true,
    sizeMedian: 14_000,
    complaintMult: 0.1,
    bounceMult: 0.4,
    subject: 'Your receipt #{n}',
  },
  {
    kind: 'password-reset',
    transactional: true,
    sizeMedian: 9_000,
    complaintMult: 0.05,
    bounceMult: 0.4,
    subject: 'Reset your password',
  },
  {
    kind: 'welcome',
    transactional: false,
    sizeMedian: 32_000,
    complaintMult: 0.6,
    bounceMult: 0.8,
    subject: 'Welcome aboard!',
  },
  {
    kind: 'abandoned-cart',
    transactional: false,
    sizeMedian: 38_000,
    complaintMult: 1.5,
    bounceMult: 0.9,
    subject: 'You left something in your cart',
  },
  {
    kind: 'digest',
    transactional: false,
    sizeMedian: 55_000,
    complaintMult: 1.2,
    bounceMult: 1,
    subject: 'Your daily digest',
  },
  {
    kind: 'reactivation',
    transactional: false,
    sizeMedian: 41_000,
    complaintMult: 5,
    bounceMult: 3,
    subject: 'We miss you! Here is "20% off" to come back',
  },
  {
    kind: 'survey',
    transactional: false,
    sizeMedian: 21_000,
    complaintMult: 1.4,
    bounceMult: 1,
    subject: 'Tell us how we did',
  },
  {
    kind: 'alerts',
    transactional: true,
    sizeMedian: 11_000,
    complaintMult: 0.2,
    bounceMult: 0.5,
    subject: 'Security alert: new sign-in',
  },
];

/**
 * Jobs (campaigns and transactional streams). Transactional ones go through the first pool, bulk
 * ones through the others, as senders separate reputations in practice.
 */
export function buildJobs(count: number, vmtas: Vmta[], pools: string[], rng: Prng): Job[] {
  const jobs: Job[] = [];
  for (let i = 0; i < count; i++) {
    const k = KINDS[i % KINDS.length];
    const brand = BRANDS[i % BRANDS.length];
    const pool = k.transactional || pools.length === 1 ? pools[0] : pools[1 + (i % (pools.length - 1))];
    const app = 1 + rng.int(4);
    jobs.push({
      id: `${k.kind}-${1001 + i}`,
      kind: k.kind,
      brand,
      pool,
      vmtas: vmtas.filter((v) => v.pool === pool),
      weight: (k.transactional ? 0.6 : 1) / (i + 1) ** 0.7,
      complaintMult: k.complaintMult,
      bounceMult: k.bounceMult,
      sizeMedian: k.sizeMedian,
      subject: k.subject.replace('{n}', String(100000 + rng.int(900000))),
      from: `"${brand.name}" <${k.transactional ? 'no-reply' : 'news'}@${brand.domain}>`,
      srcType: k.transactional ? 'api' : 'smtp',
      srcMta: `app0${app}.${brand.domain} (10.0.1.${10 + app})`,
    });
  }
  return jobs;
}
