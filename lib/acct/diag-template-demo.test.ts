import { describe, expect, it } from 'vitest';
import type { DiagContext, DiagSpec } from '../../ingest/demo/diagnostics.ts';
import { noAnswer, noSuchDomain } from '../../ingest/demo/diagnostics-generic.ts';
import { BEHAVIOURS, buildDomains, type HostKind } from '../../ingest/demo/domains.ts';
import { Prng } from '../../ingest/demo/prng.ts';
import { diagTemplate } from './diag-template.ts';

// Every reply the demo generator can write, rendered with many random IPs, recipients, MX hosts,
// sender brands, ids and clocks, must collapse to one template per kind of reply (a few per kind at
// most, where the provider's own MX family differs, e.g. mx00.emig.gmx.net vs mx-ha02.web.de).

const rng = new Prng(20240514);
const domains = buildDomains(400, rng);
const SENDERS = ['shop.example', 'travel.example', 'bank.example', 'news.example', 'cloud.example'];

function context(host: HostKind): DiagContext {
  const candidates = domains.filter((d) => d.host === host && d.mxHost !== '');
  const domain = candidates[rng.int(candidates.length)];
  const senderDomain = SENDERS[rng.int(SENDERS.length)];
  const local = `${rng.alnum(3 + rng.int(8))}.${rng.alnum(4)}`;
  return {
    rng,
    ip: `${1 + rng.int(223)}.${rng.int(256)}.${rng.int(256)}.${1 + rng.int(254)}`,
    rcpt: `${local}@${domain.ascii}`,
    domain: domain.ascii,
    mx: domain.mxHost,
    senderDomain,
    orig: `bounce-${local}=${domain.ascii}@bounces.${senderDomain}`,
    time: Date.UTC(2024, 0, 1) + rng.int(400 * 86_400_000),
  };
}

function specsOf(host: HostKind): DiagSpec[] {
  const b = BEHAVIOURS[host];
  return [
    ...b.deferrals.map((w) => w.spec),
    ...b.bounces.map((w) => w.spec),
    b.quota,
    b.incidentDeferral,
    b.incidentBlock,
  ];
}

const HOSTS = Object.keys(BEHAVIOURS) as HostKind[];
const SAMPLES = 150;

describe('diagTemplate over the demo generator', () => {
  const perSpec = new Map<DiagSpec, Set<string>>();
  for (const host of HOSTS) {
    for (const spec of [...specsOf(host), noSuchDomain, noAnswer]) {
      const templates = perSpec.get(spec) ?? new Set<string>();
      for (let i = 0; i < SAMPLES; i++) templates.add(diagTemplate(spec.diag(context(host))));
      perSpec.set(spec, templates);
    }
  }
  const all = new Set([...perSpec.values()].flatMap((t) => [...t]));

  it('renders each kind of deferral/bounce as at most three templates', () => {
    const spread = [...perSpec.entries()]
      .filter(([, t]) => t.size > 3)
      .map(([spec, t]) => `${spec.status}: ${[...t].join(' | ')}`);
    expect(spread).toEqual([]);
    expect(perSpec.size).toBeGreaterThan(50);
  });

  it(`collapses ${SAMPLES} renderings of every reply into a small number of templates`, () => {
    // Distinct specs that share a reply (Yahoo's TSS04 at RCPT and at greeting) count once.
    const distinctReplies = new Set([...perSpec.keys()].map((s) => s.diag)).size;
    expect(all.size).toBeGreaterThan(1);
    expect(all.size).toBeLessThanOrEqual(distinctReplies + 10);
    expect(all.size).toBeLessThan(100);
  });

  it('renders the success replies of Gmail and Microsoft (ids, sizes, rates, clocks) as one template each', () => {
    for (const host of ['google', 'microsoft'] as const) {
      const success = new Set<string>();
      for (let i = 0; i < SAMPLES; i++) {
        const c = context(host);
        success.add(diagTemplate(BEHAVIOURS[host].success(c, 1000 + rng.int(90_000), `env${rng.alnum(10)}`)));
      }
      expect([...success]).toHaveLength(1);
    }
  });
});
