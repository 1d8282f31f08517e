import type { AcctRecord } from '../lib/acct/types.ts';

const MINUTE = 60_000;
const HOUR = 3_600_000;

/** Rollup rows of one table as parallel arrays for `unnest(...)`, sorted by (bucket, dim). */
export interface RollupColumns {
  bucket: string[];
  dimId: number[];
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

function toColumns(counts: Map<number, Map<number, number>>): RollupColumns {
  const cols: RollupColumns = { bucket: [], dimId: [], n: [] };
  // Sorted so that concurrent workers upsert shared keys in the same order (no deadlocks).
  for (const bucket of [...counts.keys()].sort((a, b) => a - b)) {
    const byDim = counts.get(bucket)!;
    const iso = new Date(bucket).toISOString();
    for (const dimId of [...byDim.keys()].sort((a, b) => a - b)) {
      cols.bucket.push(iso);
      cols.dimId.push(dimId);
      cols.n.push(byDim.get(dimId)!);
    }
  }
  return cols;
}

function bump(map: Map<number, Map<number, number>>, bucket: number, dimId: number) {
  let byDim = map.get(bucket);
  if (!byDim) {
    byDim = new Map();
    map.set(bucket, byDim);
  }
  byDim.set(dimId, (byDim.get(dimId) ?? 0) + 1);
}

/** Counts a batch of records (with their acct_dim ids) into minute and hour rollup rows. */
export function aggregateRollups(records: AcctRecord[], dimIds: ArrayLike<number>) {
  const minute = new Map<number, Map<number, number>>();
  const hour = new Map<number, Map<number, number>>();
  for (let i = 0; i < records.length; i++) {
    const t = records[i].timeLogged.getTime();
    bump(minute, t - (((t % MINUTE) + MINUTE) % MINUTE), dimIds[i]);
    bump(hour, t - (((t % HOUR) + HOUR) % HOUR), dimIds[i]);
  }
  return { minute: toColumns(minute), hour: toColumns(hour) };
}

/**
 * Which VirtualMTA/pool used which sending IP, from `d` and `b` rows (the only rows that carry
 * both). Complaints (`f`) are attributed through this map.
 */
export function aggregateVmtaIps(records: AcctRecord[]): VmtaIpColumns {
  const seen = new Map<
    string,
    { ip: string; vmta: string; pool: string; n: number; first: number; last: number }
  >();
  for (const r of records) {
    if ((r.type !== 'd' && r.type !== 'b') || !r.dlvSourceIp || !r.vmta) continue;
    const key = `${r.dlvSourceIp}\u0001${r.vmta}\u0001${r.vmtaPool ?? ''}`;
    const t = r.timeLogged.getTime();
    const entry = seen.get(key);
    if (entry) {
      entry.n++;
      if (t < entry.first) entry.first = t;
      if (t > entry.last) entry.last = t;
    } else
      seen.set(key, { ip: r.dlvSourceIp, vmta: r.vmta, pool: r.vmtaPool ?? '', n: 1, first: t, last: t });
  }
  const cols: VmtaIpColumns = { sourceIp: [], vmta: [], vmtaPool: [], n: [], firstSeen: [], lastSeen: [] };
  for (const key of [...seen.keys()].sort()) {
    const e = seen.get(key)!;
    cols.sourceIp.push(e.ip);
    cols.vmta.push(e.vmta);
    cols.vmtaPool.push(e.pool);
    cols.n.push(e.n);
    cols.firstSeen.push(new Date(e.first).toISOString());
    cols.lastSeen.push(new Date(e.last).toISOString());
  }
  return cols;
}
