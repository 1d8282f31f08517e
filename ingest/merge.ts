import type { VmtaIpColumns } from './aggregate.ts';
import type { TemplatesSeen } from './insights.ts';
import { emptyInsights } from './insights.ts';
import type { PreparedChunk } from './prepare.ts';
import { emptySlices } from './slices.ts';

// A batch (one transaction) may hold several consecutive prepared chunks of a file. The chunks
// stay small (parse garbage dies young, the parsing thread runs ahead), while the transaction is
// large enough that a backfill's hour, day and month rollup keys are written once per batch instead
// of once per chunk. The rollup counts are summed by database id when the batch is encoded
// (writer.ts encodeBatch); this file merges everything else.

/**
 * The chunks' records, rejects, offsets and IP tallies as one chunk covering their byte range, in
 * order. Its rollup fields are empty: encode the batch from the chunks themselves.
 */
export function mergeChunks(chunks: readonly PreparedChunk[]): PreparedChunk {
  if (chunks.length === 1) return chunks[0];
  const first = chunks[0];
  const last = chunks[chunks.length - 1];
  const days = new Set<number>();
  for (const c of chunks) for (const d of c.days) days.add(d);
  return {
    fromOffset: first.fromOffset,
    consumed: chunks.reduce((s, c) => s + c.consumed, 0),
    startHeader: first.startHeader,
    header: last.header,
    recordCount: chunks.reduce((s, c) => s + c.recordCount, 0),
    recordOffsets: chunks.flatMap((c) => c.recordOffsets),
    recordChunks: chunks.flatMap((c) => c.recordChunks),
    rejects: chunks.flatMap((c) => c.rejects),
    dims: [],
    minute: { bucket: [], dim: [], n: [] },
    hour: { bucket: [], dim: [], n: [] },
    slices: emptySlices(),
    insights: { ...emptyInsights(), templates: mergeTemplates(chunks.map((c) => c.insights.templates)) },
    ips: mergeIps(chunks.map((c) => c.ips)),
    days: [...days],
    firstMs: Math.min(...chunks.map((c) => c.firstMs)),
    lastMs: Math.max(...chunks.map((c) => c.lastMs)),
  };
}

/** IP → VirtualMTA tallies summed per (IP, VirtualMTA, pool), sorted by that key (lock order). */
export function mergeIps(all: readonly VmtaIpColumns[]): VmtaIpColumns {
  const byKey = new Map<
    string,
    { ip: string; vmta: string; pool: string; n: number; first: string; last: string }
  >();
  for (const c of all) {
    for (let i = 0; i < c.n.length; i++) {
      const key = `${c.sourceIp[i]}\u0001${c.vmta[i]}\u0001${c.vmtaPool[i]}`;
      const e = byKey.get(key);
      if (!e)
        byKey.set(key, {
          ip: c.sourceIp[i],
          vmta: c.vmta[i],
          pool: c.vmtaPool[i],
          n: c.n[i],
          first: c.firstSeen[i],
          last: c.lastSeen[i],
        });
      else {
        e.n += c.n[i];
        // ISO 8601 UTC strings of one format: their order is their time order.
        if (c.firstSeen[i] < e.first) e.first = c.firstSeen[i];
        if (c.lastSeen[i] > e.last) e.last = c.lastSeen[i];
      }
    }
  }
  const out: VmtaIpColumns = { sourceIp: [], vmta: [], vmtaPool: [], n: [], firstSeen: [], lastSeen: [] };
  for (const key of [...byKey.keys()].sort()) {
    const e = byKey.get(key)!;
    out.sourceIp.push(e.ip);
    out.vmta.push(e.vmta);
    out.vmtaPool.push(e.pool);
    out.n.push(e.n);
    out.firstSeen.push(e.first);
    out.lastSeen.push(e.last);
  }
  return out;
}

/** The templates the chunks used, each once, with its earliest sample. */
export function mergeTemplates(all: readonly TemplatesSeen[]): TemplatesSeen {
  const out: TemplatesSeen = { key: [], template: [], sample: [], firstSeen: [] };
  const index = new Map<string, number>();
  for (const t of all) {
    for (let i = 0; i < t.key.length; i++) {
      const at = index.get(t.key[i]);
      if (at === undefined) {
        index.set(t.key[i], out.key.length);
        out.key.push(t.key[i]);
        out.template.push(t.template[i]);
        out.sample.push(t.sample[i]);
        out.firstSeen.push(t.firstSeen[i]);
      } else if (t.firstSeen[i] < out.firstSeen[at]) {
        out.sample[at] = t.sample[i];
        out.firstSeen[at] = t.firstSeen[i];
      }
    }
  }
  return out;
}
