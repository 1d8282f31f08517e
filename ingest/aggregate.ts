import type { AcctRecord } from '../lib/acct/types.ts';
import { sendingVmta } from '../lib/acct/vmta.ts';

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
    const vmta = sendingVmta(r);
    if ((r.type !== 'd' && r.type !== 'b') || !r.dlvSourceIp || !vmta) return;
    const t = r.timeLogged.getTime();
    this.tally(r.dlvSourceIp, vmta, r.vmtaPool ?? '', 1, t, t);
  }

  /** Adds tallies already made (another chunk's columns). */
  addColumns(c: VmtaIpColumns): void {
    for (let i = 0; i < c.n.length; i++)
      this.tally(
        c.sourceIp[i],
        c.vmta[i],
        c.vmtaPool[i],
        c.n[i],
        Date.parse(c.firstSeen[i]),
        Date.parse(c.lastSeen[i]),
      );
  }

  private tally(ip: string, vmta: string, pool: string, n: number, first: number, last: number): void {
    const key = `${ip}\u0001${vmta}\u0001${pool}`;
    const entry = this.seen.get(key);
    if (entry) {
      entry.n += n;
      if (first < entry.first) entry.first = first;
      if (last > entry.last) entry.last = last;
    } else this.seen.set(key, { ip, vmta, pool, n, first, last });
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
