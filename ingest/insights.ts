import { diagTemplate, templateKey } from '../lib/acct/diag-template.ts';
import { dsnCode } from '../lib/acct/dsn-code.ts';
import { latencyBucket } from '../lib/acct/latency.ts';
import type { AcctRecord } from '../lib/acct/types.ts';

// The parsing thread's half of the insight rollups (why mail is deferred or bounced, how long
// deliveries take, which DSN codes come back): per chunk, a local dictionary of insight tuples and
// counts per minute/hour × tuple, plus the diagnostic templates the chunk used. Plain data: it
// crosses the thread boundary; the main thread maps tuples to insight_dim ids (dims.ts).

/** Counts per (time bucket, local dimension index) of one chunk (the shape of prepare.ts'). */
export interface LocalCounts {
  bucket: number[];
  dim: number[];
  n: number[];
}

/** The templates a chunk used: key, template, one full dsnDiag line and its time (ms). */
export interface TemplatesSeen {
  key: string[];
  template: string[];
  sample: string[];
  firstSeen: number[];
}

export interface InsightChunk {
  /** Distinct tuples [kind, type, provider, rcpt_domain, vmta, vmta_pool, queue, value]. */
  dims: string[][];
  minute: LocalCounts;
  hour: LocalCounts;
  templates: TemplatesSeen;
}

export const INSIGHT_COLUMNS = [
  'kind',
  'type',
  'provider',
  'rcpt_domain',
  'vmta',
  'vmta_pool',
  'queue',
  'value',
];

/** Record types whose dsnDiag is grouped into reasons. */
export const REASON_TYPES: ReadonlySet<string> = new Set(['t', 'tq', 'b', 'rb']);
const DSN_TYPES: ReadonlySet<string> = new Set(['t', 'b', 'rb']);
const SEP = '\u0001';

// dsnDiag text → template and key, across chunks: during an incident the same line (or the same
// few) repeats thousands of times, and masking + hashing is the costly part. Bounded: cleared
// when full (lines with unique ids simply miss).
const MAX_CACHED = 20_000;
const cache = new Map<string, { key: string; template: string }>();

function templateOf(diag: string): { key: string; template: string } {
  let hit = cache.get(diag);
  if (!hit) {
    const template = diagTemplate(diag);
    hit = { key: templateKey(template), template };
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(diag, hit);
  }
  return hit;
}

function countInto(map: Map<number, Map<number, number>>, bucket: number, dim: number) {
  let byDim = map.get(bucket);
  if (!byDim) {
    byDim = new Map();
    map.set(bucket, byDim);
  }
  byDim.set(dim, (byDim.get(dim) ?? 0) + 1);
}

function toLocalCounts(map: Map<number, Map<number, number>>): LocalCounts {
  const out: LocalCounts = { bucket: [], dim: [], n: [] };
  for (const [bucket, byDim] of map) {
    for (const [dim, n] of byDim) {
      out.bucket.push(bucket);
      out.dim.push(dim);
      out.n.push(n);
    }
  }
  return out;
}

export class InsightTally {
  private readonly index = new Map<string, number>();
  private readonly dims: string[][] = [];
  private readonly minute = new Map<number, Map<number, number>>();
  private readonly hour = new Map<number, Map<number, number>>();
  private readonly templateIndex = new Map<string, number>();
  private readonly templates: TemplatesSeen = { key: [], template: [], sample: [], firstSeen: [] };

  /**
   * The template key of a t/tq/b/rb record's diagnostic ('' without one), null for other types:
   * the value of acct_record.diag_key and of its 'reason' entry. Remembers the template.
   */
  diagKey(r: AcctRecord): string | null {
    if (!REASON_TYPES.has(r.type)) return null;
    if (!r.dsnDiag) return '';
    const { key, template } = templateOf(r.dsnDiag);
    const t = r.timeLogged.getTime();
    const at = this.templateIndex.get(key);
    if (at === undefined) {
      this.templateIndex.set(key, this.templates.key.length);
      this.templates.key.push(key);
      this.templates.template.push(template);
      this.templates.sample.push(r.dsnDiag);
      this.templates.firstSeen.push(t);
    } else if (t < this.templates.firstSeen[at]) {
      this.templates.sample[at] = r.dsnDiag;
      this.templates.firstSeen[at] = t;
    }
    return key;
  }

  /** Counts the record's entries; `diagKey` as returned by diagKey(r). */
  add(r: AcctRecord, minute: number, hour: number, diagKey: string | null): void {
    const type = r.type;
    if (diagKey !== null) {
      this.count('reason', r, diagKey, minute, hour);
      if (DSN_TYPES.has(type)) this.count('dsn', r, dsnCode(r.dsnStatus), minute, hour);
    } else if (type === 'd' && r.timeQueued) {
      const latency = r.timeLogged.getTime() - r.timeQueued.getTime();
      this.count('latency', r, String(latencyBucket(latency)), minute, hour);
    }
  }

  private count(kind: string, r: AcctRecord, value: string, minute: number, hour: number): void {
    const queue = r.type === 'tq' ? (r.queue ?? '') : '';
    const vmta = r.vmta ?? '';
    const pool = r.vmtaPool ?? '';
    const key = `${kind}${SEP}${r.type}${SEP}${r.provider}${SEP}${r.rcptDomain}${SEP}${vmta}${SEP}${pool}${SEP}${queue}${SEP}${value}`;
    let dim = this.index.get(key);
    if (dim === undefined) {
      dim = this.dims.length;
      this.index.set(key, dim);
      this.dims.push([kind, r.type, r.provider, r.rcptDomain, vmta, pool, queue, value]);
    }
    countInto(this.minute, minute, dim);
    countInto(this.hour, hour, dim);
  }

  result(): InsightChunk {
    return {
      dims: this.dims,
      minute: toLocalCounts(this.minute),
      hour: toLocalCounts(this.hour),
      templates: this.templates,
    };
  }
}

/** An insight chunk with nothing in it (a batch that only carries rejects). */
export function emptyInsights(): InsightChunk {
  return {
    dims: [],
    minute: { bucket: [], dim: [], n: [] },
    hour: { bucket: [], dim: [], n: [] },
    templates: { key: [], template: [], sample: [], firstSeen: [] },
  };
}
