import type { AcctRecord } from '../lib/acct/types.ts';

/**
 * Which VirtualMTA/pool used which sending IP, from `d` and `b` rows (the only rows that carry
 * both). Complaints (`f`) are attributed through this map.
 */
export interface VmtaIpColumns {
  sourceIp: string[];
  vmta: string[];
  vmtaPool: string[];
  n: number[];
  firstSeen: string[];
  lastSeen: string[];
}

export class VmtaIpTally {
  private readonly seen = new Map<
    string,
    { ip: string; vmta: string; pool: string; n: number; first: number; last: number }
  >();

  add(r: AcctRecord): void {
    if ((r.type !== 'd' && r.type !== 'b') || !r.dlvSourceIp || !r.vmta) return;
    const key = `${r.dlvSourceIp}\u0001${r.vmta}\u0001${r.vmtaPool ?? ''}`;
    const t = r.timeLogged.getTime();
    const entry = this.seen.get(key);
    if (entry) {
      entry.n++;
      if (t < entry.first) entry.first = t;
      if (t > entry.last) entry.last = t;
    } else
      this.seen.set(key, {
        ip: r.dlvSourceIp,
        vmta: r.vmta,
        pool: r.vmtaPool ?? '',
        n: 1,
        first: t,
        last: t,
      });
  }

  /** The tallies sorted by key, so concurrent workers upsert shared rows in the same order. */
  columns(): VmtaIpColumns {
    const cols: VmtaIpColumns = { sourceIp: [], vmta: [], vmtaPool: [], n: [], firstSeen: [], lastSeen: [] };
    for (const key of [...this.seen.keys()].sort()) {
      const e = this.seen.get(key)!;
      cols.sourceIp.push(e.ip);
      cols.vmta.push(e.vmta);
      cols.vmtaPool.push(e.pool);
      cols.n.push(e.n);
      cols.firstSeen.push(new Date(e.first).toISOString());
      cols.lastSeen.push(new Date(e.last).toISOString());
    }
    return cols;
  }
}
