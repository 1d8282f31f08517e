import { diagTemplate, templateKey } from '../lib/acct/diag-template.ts';
import { DSN_RECORD_TYPES, dsnCode } from '../lib/acct/dsn-code.ts';
import { LATENCY_BUCKETS, latencyBucket } from '../lib/acct/latency.ts';
import type { AcctRecord } from '../lib/acct/types.ts';
import { sendingVmta } from '../lib/acct/vmta.ts';
import { coarserCounts, flattenCounts, type LocalCounts } from './bucket-counts.ts';

// The parsing thread's half of the insight rollups (why mail is deferred or bounced, how long
// deliveries take, which DSN codes come back): a dictionary of insight tuples kept across chunks
// and, per chunk, counts per minute/hour × tuple plus the diagnostic templates it used. Plain
// data: it crosses the thread boundary; the main thread maps tuples to insight_dim ids
// (dictionary.ts, dims.ts).

/** The templates a chunk used: key, template, one full dsnDiag line and its time (ms). */
export interface TemplatesSeen {
  key: string[];
  template: string[];
  sample: string[];
  firstSeen: number[];
}

/** Templates as they are seen: each key once, with its earliest sample and that sample's time. */
export class TemplateList {
  readonly seen: TemplatesSeen = { key: [], template: [], sample: [], firstSeen: [] };
  private readonly index = new Map<string, number>();

  add(key: string, template: string, sample: string, at: number): void {
    const i = this.index.get(key);
    if (i === undefined) {
      this.index.set(key, this.seen.key.length);
      this.seen.key.push(key);
      this.seen.template.push(template);
      this.seen.sample.push(sample);
      this.seen.firstSeen.push(at);
    } else if (at < this.seen.firstSeen[i]) {
      this.seen.sample[i] = sample;
      this.seen.firstSeen[i] = at;
    }
  }
}

export interface InsightChunk {
  /**
   * The tuples [kind, type, provider, rcpt_domain, vmta, vmta_pool, queue, value] this chunk added
   * to its thread's insight dictionary, numbered from `dimsBase`, each joined with DIM_SEP: one
   * string per tuple is far cheaper to pass between threads and to look up in the main thread's
   * cache than eight; tuples seen in earlier chunks are not sent again.
   */
  dims: string[];
  dimsBase: number;
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
const DSN_TYPES: ReadonlySet<string> = new Set(DSN_RECORD_TYPES);
/** Separator of the values of a joined dimension tuple (not a character of any value). */
export const DIM_SEP = '\u0001';
const SEP = DIM_SEP;

/**
 * A flat copy of `s`, for a string kept long (a dictionary key): a substring of a record's line
 * (a sliced string) would keep the whole line alive.
 */
export function ownString(s: string): string {
  return Buffer.from(s, 'utf8').toString('utf8');
}

// template → key across chunks: lines differ by their ids and IPs, but a chunk's thousands of
// diagnostics share a handful of templates, so each is hashed once. (Caching by line was measured
// no faster here: most lines carry a unique id, and the cache kept thousands of strings alive.)
// Bounded: cleared when full.
const MAX_CACHED = 10_000;
const keys = new Map<string, string>();

function keyOf(template: string): string {
  let key = keys.get(template);
  if (key === undefined) {
    key = templateKey(template);
    if (keys.size >= MAX_CACHED) keys.clear();
    // A copy, not the template itself: a sliced string would keep its whole parent chunk alive.
    keys.set(ownString(template), key);
  }
  return key;
}

const HOUR = 3_600_000;

/**
 * Counts a parsing thread's insight entries chunk by chunk. Its dictionary (insight tuples and the
 * lookups that find them) lasts across chunks; counts and templates are per chunk (result()).
 */
export class InsightTally {
  private added: string[] = [];
  private dimCount = 0;
  private addedFrom = 0;
  /** minute → dim → n; hours are derived at the end (one count per entry, not two). */
  private minute = new Map<number, Map<number, number>>();
  // Records come nearly in time order: the current minute's counts are kept at hand.
  private lastMinute = Number.NaN;
  private lastCounts = new Map<number, number>();
  private templates = new TemplateList();
  // The slice part of an entry (type, provider, domain, VirtualMTA, pool, queue) is a coarsening of
  // the chunk's main dimension tuple, so it is looked up once per main dimension ("base"), not
  // built as a string per record; only tq rows (their queue is not a main dimension) use the map.
  private readonly baseOfDim: number[] = [];
  private readonly baseIndex = new Map<string, number>();
  private readonly baseKeys: string[] = [];
  /**
   * Per base: value → insight dim, one map per kind, made when first needed (a base of
   * deliveries has no reasons; the dictionary holds tens of thousands of bases); latency bucket
   * → insight dim + 1 at base × LATENCY_BUCKETS + bucket of one array.
   */
  private readonly reasons: (Map<string, number> | undefined)[] = [];
  private readonly codes: (Map<string, number> | undefined)[] = [];
  private latencies = new Int32Array(LATENCY_BUCKETS * 1024);

  /**
   * The template key of a t/tq/b/rb record's diagnostic ('' without one), null for other types:
   * the value of acct_record.diag_key and of its 'reason' entry. Remembers the template.
   */
  diagKey(r: AcctRecord): string | null {
    if (!REASON_TYPES.has(r.type)) return null;
    if (!r.dsnDiag) return '';
    const template = diagTemplate(r.dsnDiag);
    const key = keyOf(template);
    this.templates.add(key, template, r.dsnDiag, r.timeLogged.getTime());
    return key;
  }

  /**
   * Counts the record's entries; `diagKey` as returned by diagKey(r), `mainDim` the record's number
   * in the thread's main dimension dictionary (same tuple → same number, in every chunk).
   */
  add(r: AcctRecord, minute: number, diagKey: string | null, mainDim: number): void {
    const type = r.type;
    if (diagKey !== null) {
      const base = this.baseOf(r, mainDim);
      this.reasons[base] ??= new Map();
      this.count(this.dimOf(this.reasons[base], base, 'reason', diagKey), minute);
      if (DSN_TYPES.has(type)) {
        const code = dsnCode(r.dsnStatus);
        this.codes[base] ??= new Map();
        this.count(this.dimOf(this.codes[base], base, 'dsn', code), minute);
      }
    } else if (type === 'd' && r.timeQueued) {
      const base = this.baseOf(r, mainDim);
      const bucket = latencyBucket(r.timeLogged.getTime() - r.timeQueued.getTime());
      const slot = base * LATENCY_BUCKETS + bucket;
      let dim = this.latencies[slot] - 1;
      if (dim < 0) {
        dim = this.newDim(base, 'latency', String(bucket));
        this.latencies[slot] = dim + 1;
      }
      this.count(dim, minute);
    }
  }

  private baseOf(r: AcctRecord, mainDim: number): number {
    const isQueue = r.type === 'tq';
    const known = this.baseOfDim;
    // Filled densely (-1 = not yet): reading a hole walks the prototype chain.
    while (known.length <= mainDim) known.push(-1);
    if (!isQueue && known[mainDim] >= 0) return known[mainDim];
    const tuple = [
      r.type,
      r.provider,
      r.rcptDomain,
      sendingVmta(r),
      r.vmtaPool ?? '',
      isQueue ? (r.queue ?? '') : '',
    ];
    let key = tuple.join(SEP);
    let base = this.baseIndex.get(key);
    if (base === undefined) {
      key = ownString(key); // kept for the dictionary's life
      base = this.baseKeys.length;
      this.baseIndex.set(key, base);
      this.baseKeys.push(key);
      this.reasons.push(undefined);
      this.codes.push(undefined);
      if (this.latencies.length < (base + 1) * LATENCY_BUCKETS) {
        const grown = new Int32Array(this.latencies.length * 2);
        grown.set(this.latencies);
        this.latencies = grown;
      }
    }
    if (!isQueue) this.baseOfDim[mainDim] = base;
    return base;
  }

  private dimOf(values: Map<string, number>, base: number, kind: string, value: string): number {
    let dim = values.get(value);
    if (dim === undefined) {
      dim = this.newDim(base, kind, value);
      values.set(value, dim);
    }
    return dim;
  }

  private newDim(base: number, kind: string, value: string): number {
    this.added.push(`${kind}${SEP}${this.baseKeys[base]}${SEP}${value}`);
    return this.dimCount++;
  }

  /** Tuples in the dictionary (a thread starts a new one past a size). */
  get size(): number {
    return this.dimCount;
  }

  private count(dim: number, minute: number): void {
    let counts = this.lastCounts;
    if (minute !== this.lastMinute) {
      let found = this.minute.get(minute);
      if (!found) {
        found = new Map();
        this.minute.set(minute, found);
      }
      this.lastMinute = minute;
      this.lastCounts = found;
      counts = found;
    }
    counts.set(dim, (counts.get(dim) ?? 0) + 1);
  }

  /** The chunk's counts, templates and new tuples; the next chunk starts from zero counts. */
  result(): InsightChunk {
    const out = {
      dims: this.added,
      dimsBase: this.addedFrom,
      minute: flattenCounts(this.minute),
      hour: flattenCounts(coarserCounts(this.minute, HOUR)),
      templates: this.templates.seen,
    };
    this.added = [];
    this.addedFrom = this.dimCount;
    this.minute = new Map();
    this.lastMinute = Number.NaN;
    this.lastCounts = new Map();
    this.templates = new TemplateList();
    return out;
  }
}

/** An insight chunk with nothing in it (a batch that only carries rejects). */
export function emptyInsights(): InsightChunk {
  return {
    dims: [],
    dimsBase: 0,
    minute: { bucket: [], dim: [], n: [] },
    hour: { bucket: [], dim: [], n: [] },
    templates: { key: [], template: [], sample: [], firstSeen: [] },
  };
}
