import { type VmtaIpColumns, VmtaIpTally } from './aggregate.ts';
import { emptyInsights, TemplateList, type TemplatesSeen } from './insights.ts';
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
    dictionary: '',
    dims: [],
    dimsBase: 0,
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
  const tally = new VmtaIpTally();
  for (const c of all) tally.addColumns(c);
  return tally.columns();
}

/** The templates the chunks used, each once, with its earliest sample. */
export function mergeTemplates(all: readonly TemplatesSeen[]): TemplatesSeen {
  const out = new TemplateList();
  for (const t of all)
    for (let i = 0; i < t.key.length; i++) out.add(t.key[i], t.template[i], t.sample[i], t.firstSeen[i]);
  return out.seen;
}
