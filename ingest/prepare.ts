import { parseLines } from '../lib/acct/parse-lines.ts';
import { splitRecords } from '../lib/acct/split-records.ts';
import type { AcctRecord, RawLine } from '../lib/acct/types.ts';
import { sendingVmta } from '../lib/acct/vmta.ts';
import { type VmtaIpColumns, VmtaIpTally } from './aggregate.ts';
import { addCount, type BucketCounts, flattenCounts, type LocalCounts } from './bucket-counts.ts';
import { CopyBinaryWriter } from './copy-binary.ts';
import type { DictionaryMirror } from './dictionary.ts';
import { DIM_SEP, type InsightChunk, InsightTally, ownString } from './insights.ts';
import { keyFieldProblem, recordRowProblem, writeRecordRow } from './record-row.ts';
import { type SliceChunk, SliceDictionary, sliceRollups } from './slices.ts';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const PARSE_SLICE = 512;
const SEP = DIM_SEP;

export interface RejectAt {
  offset: number;
  text: string;
  reason: string;
}

export interface PrepareInput {
  fileId: number;
  source: string;
  /** File offset of buf[0]. */
  offset: number;
  /** Column names in effect at `offset`. */
  header: string[] | null;
  /** No more bytes will follow this chunk (see SplitOptions.final). */
  final?: boolean;
}

/**
 * One chunk of a file turned into everything its transaction needs except database ids: the
 * acct_record rows in COPY binary format (rows only, see writeBatch), rollup counts keyed by the
 * thread's dictionary numbers, the IP → VirtualMTA tallies and the rejects. Plain data, so it can
 * cross a thread boundary (the worker prepares the next chunk on another core while the database
 * writes the previous one).
 */
export interface PreparedChunk {
  fromOffset: number;
  /** Bytes of complete records consumed (0: a partial record waits for its newline). */
  consumed: number;
  startHeader: string[] | null;
  header: string[] | null;
  recordCount: number;
  /** Byte offset of every record, for splitting the chunk if the database refuses one. */
  recordOffsets: number[];
  recordChunks: Uint8Array[];
  rejects: RejectAt[];
  /** The PrepareDictionary the chunk was numbered with (its id). */
  dictionary: string;
  /**
   * The dimension tuples [type, source, domain, provider, vmta, pool, ip, job, bounceCat] this chunk
   * added to its dictionary, numbered from `dimsBase`, each joined with DIM_SEP: one string per
   * tuple crosses the thread boundary and is the main thread's dictionary key as it is (see
   * DimResolver.resolveJoined); tuples of earlier chunks of the same dictionary are not sent again.
   */
  dims: string[];
  dimsBase: number;
  /** Main thread only: the dictionary's mirror, attached when the chunk arrives (preparer.ts). */
  mirror?: DictionaryMirror;
  /** Star rollup counts per minute / hour × dimension number. */
  minute: LocalCounts;
  hour: LocalCounts;
  /** The same counts by one dimension at a time (slice rollups). */
  slices: SliceChunk;
  /** Reason / latency / DSN entries (their own dictionary and rollups) and the templates used. */
  insights: InsightChunk;
  ips: VmtaIpColumns;
  days: number[];
  firstMs: number;
  lastMs: number;
}

/**
 * A parsing thread's numbering of dimension tuples, insight tuples and slices, kept across the
 * chunks it prepares: a chunk sends only the tuples new to it (most of a chunk's thousands of
 * tuples were seen in earlier chunks), and its counts use these numbers. The main thread keeps a
 * mirror of it (dictionary.ts). Bounded: a thread starts a new dictionary once it is `full`.
 */
export class PrepareDictionary {
  static readonly MAX_ENTRIES = 150_000;
  readonly dims = new Map<string, number>();
  readonly slices = new SliceDictionary();
  readonly insights = new InsightTally();

  constructor(
    readonly id: string,
    private readonly maxEntries = PrepareDictionary.MAX_ENTRIES,
  ) {}

  get full(): boolean {
    return this.dims.size + this.slices.size + this.insights.size >= this.maxEntries;
  }
}

let localDictionaries = 0;

/**
 * Bytes cut into records at a time. A chunk's lines were all cut at once, and the text of a chunk
 * holding one non-ASCII byte is decoded line by line: ~1 MB of line strings that lived until the
 * chunk was done, survived the parsing thread's scavenges and were promoted. In some runs this
 * happened at nearly every scavenge (1.2 GB promoted per 1M records instead of ~0.26 GB, `--trace-gc-nvp`).
 */
const SPLIT_BYTES = 64 << 10;

/**
 * The complete records of `buf`, as splitRecords finds them in the whole of it, cut a piece of
 * ~SPLIT_BYTES at a time (a record longer than a piece doubles it until it fits); returns the
 * bytes consumed. Only the last piece, the one that reaches the end of `buf`, is split `final`.
 */
function* recordPieces(buf: Buffer, input: PrepareInput): Generator<RawLine[], number> {
  let pos = 0;
  let size = SPLIT_BYTES;
  while (pos < buf.length) {
    const end = Math.min(buf.length, pos + size);
    const atEnd = end === buf.length;
    const { lines, consumed } = splitRecords(buf.subarray(pos, end), input.offset + pos, {
      atFileStart: input.offset + pos === 0,
      final: atEnd ? input.final : false,
    });
    if (consumed === 0) {
      if (atEnd) break;
      size *= 2;
      continue;
    }
    yield lines;
    pos += consumed;
    size = SPLIT_BYTES;
  }
  return pos;
}

function dimTuple(r: AcctRecord, source: string): string[] {
  return [
    r.type,
    source,
    r.rcptDomain,
    r.provider,
    sendingVmta(r),
    r.vmtaPool ?? '',
    r.dlvSourceIp ?? '',
    r.jobId ?? '',
    r.bounceCat ?? '',
  ];
}

const NUL_REASON = 'the line holds a NUL byte: a damaged line (PowerMTA never writes one)';

/**
 * Splits, parses and encodes the complete records of `buf` (see PreparedChunk), numbering tuples
 * with `dictionary` (by default a new one: the chunk then carries every tuple it counts).
 */
export function prepareChunk(
  buf: Buffer,
  input: PrepareInput,
  dictionary = new PrepareDictionary(`local-${++localDictionaries}`),
): PreparedChunk {
  const dimIndex = dictionary.dims;
  const dimsBase = dimIndex.size;
  const dims: string[] = [];
  const sourceKey = `${SEP}${input.source}${SEP}`;
  const minute: BucketCounts = new Map();
  const hour: BucketCounts = new Map();
  const days = new Set<number>();
  const ips = new VmtaIpTally();
  const insights = dictionary.insights;
  const recordOffsets: number[] = [];
  const rejects: RejectAt[] = [];
  // The rows in COPY binary format run ~1.3 × the CSV they come from: a buffer of that size
  // usually holds them all (it crosses to the main thread whole).
  const out = new CopyBinaryWriter(Math.max(64 << 10, Math.ceil(buf.length * 1.35)), { header: false });
  let firstMs = Number.POSITIVE_INFINITY;
  let lastMs = Number.NEGATIVE_INFINITY;
  let header = input.header;
  // Split and parsed a piece at a time, consumed at once: records die young (cheap garbage
  // collection).
  // A NUL byte marks a damaged line (PowerMTA never writes one; PostgreSQL text cannot hold it):
  // one memchr over the chunk, and the lines are searched only when it holds one.
  const hasNul = buf.indexOf(0) !== -1;
  const pieces = recordPieces(buf, input);
  let consumed = 0;
  for (let next = pieces.next(); ; next = pieces.next()) {
    if (next.done) {
      consumed = next.value;
      break;
    }
    const lines = next.value;
    for (let from = 0; from < lines.length; from += PARSE_SLICE) {
      const parsed = parseLines(lines.slice(from, from + PARSE_SLICE), header);
      header = parsed.header;
      for (const p of parsed.parsed) {
        if (p.kind === 'reject') {
          rejects.push({ offset: p.line.offset, text: p.line.text, reason: p.reason });
          continue;
        }
        if (p.kind !== 'record') continue;
        if (hasNul && p.line.text.includes('\0')) {
          rejects.push({ offset: p.line.offset, text: p.line.text, reason: NUL_REASON });
          continue;
        }
        const r = p.record;
        const problem = recordRowProblem(r);
        if (problem) {
          rejects.push({ offset: p.line.offset, text: p.line.text, reason: problem });
          continue;
        }
        const key = `${r.type}${sourceKey}${r.rcptDomain}${SEP}${r.provider}${SEP}${sendingVmta(r)}${SEP}${
          r.vmtaPool ?? ''
        }${SEP}${r.dlvSourceIp ?? ''}${SEP}${r.jobId ?? ''}${SEP}${r.bounceCat ?? ''}`;
        let dim = dimIndex.get(key);
        // A key holding a stray separator is never in the dictionary (it has a field too many), so
        // checking new keys finds every such record; a queue is only in the insight keys of `tq`.
        if (dim === undefined || r.type === 'tq') {
          const bad = keyFieldProblem(r);
          if (bad) {
            rejects.push({ offset: p.line.offset, text: p.line.text, reason: bad });
            continue;
          }
        }
        recordOffsets.push(p.line.offset);
        const diagKey = insights.diagKey(r);
        writeRecordRow(out, input.fileId, input.source, p.line.offset, r, diagKey);
        if (dim === undefined) {
          dim = dimIndex.size;
          const own = ownString(key); // kept for the dictionary's life
          dimIndex.set(own, dim);
          dims.push(own);
          dictionary.slices.addDim(dimTuple(r, input.source));
        }
        const t = r.timeLogged.getTime();
        if (t < firstMs) firstMs = t;
        if (t > lastMs) lastMs = t;
        const tMinute = t - (((t % MINUTE) + MINUTE) % MINUTE);
        const tHour = t - (((t % HOUR) + HOUR) % HOUR);
        addCount(minute, tMinute, dim);
        addCount(hour, tHour, dim);
        insights.add(r, tMinute, diagKey, dim);
        days.add(Math.floor(t / DAY));
        ips.add(r);
      }
    }
  }
  // A buffer mostly empty is copied to its size, not transferred whole.
  const rows = out.rows();
  const recordChunks =
    rows.length === 0 ? [] : [rows.length < out.capacity / 2 ? Uint8Array.from(rows) : rows];
  return {
    fromOffset: input.offset,
    consumed,
    startHeader: input.header,
    header,
    recordCount: recordOffsets.length,
    recordOffsets,
    recordChunks,
    rejects,
    dictionary: dictionary.id,
    dims,
    dimsBase,
    minute: flattenCounts(minute),
    hour: flattenCounts(hour),
    slices: sliceRollups(dictionary.slices, minute, hour),
    insights: insights.result(),
    ips: ips.columns(),
    days: [...days],
    firstMs,
    lastMs,
  };
}
