import { buildDomains, type HostKind, type RecipientDomain } from './domains.ts';
import { planIncidents } from './incidents.ts';
import { buildJobs, type Job } from './jobs.ts';
import { Prng, WeightedTable } from './prng.ts';

export interface Vmta {
  name: string;
  pool: string;
  ip: string;
}

/** A period when one provider defers (or blocks) much of what one pool sends. */
export interface Incident {
  start: number;
  end: number;
  host: HostKind;
  pool: string;
  probability: number;
  block: boolean;
}

export interface World {
  domains: WeightedTable<RecipientDomain>;
  vmtas: Vmta[];
  pools: string[];
  jobs: WeightedTable<Job>;
  incidents: Incident[];
}

export interface WorldOptions {
  seed: number;
  domains: number;
  vmtas: number;
  pools: number;
  jobs: number;
  /** Window to plan incidents for; none are planned when omitted (live mode adds its own). */
  window?: { start: number; end: number };
}

const HOUR = 3_600_000;

export const DEFAULT_WORLD = { domains: 300, vmtas: 12, pools: 3, jobs: 20 } as const;

function poolName(index: number): string {
  return index < 26 ? `pool-${String.fromCharCode(97 + index)}` : `pool-${index + 1}`;
}

/**
 * Sending IPs: the first pools use the documentation ranges (so diagnostics quoting them look
 * real but point nowhere), further ones private 10.x space.
 */
function sendingIp(poolIndex: number, slot: number): string {
  const ranges = ['203.0.113', '198.51.100', '192.0.2'];
  if (poolIndex < ranges.length && slot < 240) return `${ranges[poolIndex]}.${10 + slot}`;
  return `10.${20 + (poolIndex % 200)}.${Math.floor(slot / 250)}.${10 + (slot % 240)}`;
}

export function buildVmtas(count: number, poolCount: number): { vmtas: Vmta[]; pools: string[] } {
  const pools = Array.from({ length: Math.min(poolCount, count) }, (_, i) => poolName(i));
  const vmtas: Vmta[] = [];
  for (let i = 0; i < count; i++) {
    const poolIndex = i % pools.length;
    vmtas.push({
      name: `vmta${i + 1}`,
      pool: pools[poolIndex],
      ip: sendingIp(poolIndex, Math.floor(i / pools.length)),
    });
  }
  return { vmtas, pools };
}

/** The static part of the simulation: who sends what, from where, to whom. */
export function buildWorld(opts: WorldOptions): World {
  // Own PRNG stream so the world does not shift when the record stream changes.
  const rng = new Prng(opts.seed ^ 0x5bd1e995);
  const domains = buildDomains(opts.domains, rng);
  const { vmtas, pools } = buildVmtas(opts.vmtas, opts.pools);
  const jobs = buildJobs(opts.jobs, vmtas, pools, rng);
  const incidents = opts.window ? planIncidents(opts.window.start, opts.window.end, pools, rng) : [];
  return {
    domains: new WeightedTable(
      domains,
      domains.map((d) => d.weight),
    ),
    vmtas,
    pools,
    jobs: new WeightedTable(
      jobs,
      jobs.map((j) => j.weight),
    ),
    incidents,
  };
}

/** Hour-bucketed incident lookup: the simulation asks once per delivery attempt. */
export class IncidentIndex {
  private readonly byHour = new Map<number, Incident[]>();

  constructor(incidents: Incident[] = []) {
    for (const incident of incidents) this.add(incident);
  }

  add(incident: Incident): void {
    for (let h = Math.floor(incident.start / HOUR); h <= Math.floor(incident.end / HOUR); h++) {
      const list = this.byHour.get(h);
      if (list) list.push(incident);
      else this.byHour.set(h, [incident]);
    }
  }

  /** Drops buckets that ended before `time` (live mode runs indefinitely). */
  prune(time: number): void {
    const hour = Math.floor(time / HOUR);
    for (const key of this.byHour.keys()) if (key < hour - 1) this.byHour.delete(key);
  }

  find(time: number, host: HostKind, pool: string): Incident | null {
    const list = this.byHour.get(Math.floor(time / HOUR));
    if (!list) return null;
    for (const incident of list) {
      if (incident.host === host && incident.pool === pool && time >= incident.start && time < incident.end) {
        return incident;
      }
    }
    return null;
  }
}
