import type { AcctRecord } from '../lib/acct/types.ts';

export interface VmtaIpColumns {
  sourceIp: string[];
  vmta: string[];
  vmtaPool: string[];
  n: number[];
  firstSeen: string[];
  lastSeen: string[];
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
