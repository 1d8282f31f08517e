import type { AcctRecord } from '../lib/acct/types.ts';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const SEP = '\u0001';

/** Rollup rows of one table, as parallel arrays ready for `unnest(...)`, sorted by key. */
export interface RollupColumns {
  bucket: string[];
  type: string[];
  source: string[];
  rcptDomain: string[];
  provider: string[];
  vmta: string[];
  vmtaPool: string[];
  sourceIp: string[];
  jobId: string[];
  bounceCat: string[];
  n: number[];
}

export interface VmtaIpColumns {
  sourceIp: string[];
  vmta: string[];
  vmtaPool: string[];
  n: number[];
  firstSeen: string[];
  lastSeen: string[];
}

function dimensionKey(r: AcctRecord, source: string): string {
  return [
    r.type,
    source,
    r.rcptDomain,
    r.provider,
    r.vmta ?? '',
    r.vmtaPool ?? '',
    r.dlvSourceIp ?? '',
    r.jobId ?? '',
    r.bounceCat ?? '',
  ].join(SEP);
}

function toColumns(counts: Map<string, number>): RollupColumns {
  const cols: RollupColumns = {
    bucket: [],
    type: [],
    source: [],
    rcptDomain: [],
    provider: [],
    vmta: [],
    vmtaPool: [],
    sourceIp: [],
    jobId: [],
    bounceCat: [],
    n: [],
  };
  // Sorted so that concurrent workers upsert shared keys in the same order (no deadlocks).
  const keys = [...counts.keys()].sort();
  for (const key of keys) {
    const [bucket, type, source, rcptDomain, provider, vmta, vmtaPool, sourceIp, jobId, bounceCat] =
      key.split(SEP);
    cols.bucket.push(new Date(Number(bucket)).toISOString());
    cols.type.push(type);
    cols.source.push(source);
    cols.rcptDomain.push(rcptDomain);
    cols.provider.push(provider);
    cols.vmta.push(vmta);
    cols.vmtaPool.push(vmtaPool);
    cols.sourceIp.push(sourceIp);
    cols.jobId.push(jobId);
    cols.bounceCat.push(bounceCat);
    cols.n.push(counts.get(key) ?? 0);
  }
  return cols;
}

function bump(map: Map<string, number>, key: string) {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** Counts a batch of records into minute and hour rollup rows. */
export function aggregateRollups(records: AcctRecord[], source: string) {
  const minute = new Map<string, number>();
  const hour = new Map<string, number>();
  for (const r of records) {
    const t = r.timeLogged.getTime();
    const dims = dimensionKey(r, source);
    bump(minute, `${t - (((t % MINUTE) + MINUTE) % MINUTE)}${SEP}${dims}`);
    bump(hour, `${t - (((t % HOUR) + HOUR) % HOUR)}${SEP}${dims}`);
  }
  return { minute: toColumns(minute), hour: toColumns(hour) };
}

/**
 * Which VirtualMTA/pool used which sending IP, from `d` and `b` rows (the only rows that carry
 * both). Complaints (`f`) are attributed through this map.
 */
export function aggregateVmtaIps(records: AcctRecord[]): VmtaIpColumns {
  const seen = new Map<string, { n: number; first: number; last: number }>();
  for (const r of records) {
    if ((r.type !== 'd' && r.type !== 'b') || !r.dlvSourceIp || !r.vmta) continue;
    const key = [r.dlvSourceIp, r.vmta, r.vmtaPool ?? ''].join(SEP);
    const t = r.timeLogged.getTime();
    const entry = seen.get(key);
    if (entry) {
      entry.n++;
      if (t < entry.first) entry.first = t;
      if (t > entry.last) entry.last = t;
    } else seen.set(key, { n: 1, first: t, last: t });
  }
  const cols: VmtaIpColumns = { sourceIp: [], vmta: [], vmtaPool: [], n: [], firstSeen: [], lastSeen: [] };
  for (const key of [...seen.keys()].sort()) {
    const [ip, vmta, pool] = key.split(SEP);
    const e = seen.get(key)!;
    cols.sourceIp.push(ip);
    cols.vmta.push(vmta);
    cols.vmtaPool.push(pool);
    cols.n.push(e.n);
    cols.firstSeen.push(new Date(e.first).toISOString());
    cols.lastSeen.push(new Date(e.last).toISOString());
  }
  return cols;
}
