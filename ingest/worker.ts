import { randomBytes } from 'node:crypto';
import { type FileHandle, open, stat } from 'node:fs/promises';
import os from 'node:os';
import { type FSWatcher, watch } from 'chokidar';
import type pg from 'pg';
import type { Logger } from 'pino';
import { decodeText } from '../lib/acct/decode-text.ts';
import { retryWithBackoff } from '../lib/db/database.ts';
import type { AcctDir } from '../lib/env.ts';
import { SILENT_WORKER_KEPT_DAYS, WORKER_SILENT_AFTER_MS } from '../lib/ingest-workers.ts';
import { processExists } from '../lib/parent-watch.ts';
import { cutsUnclosedQuote, lastRecordEnd } from './boundary.ts';
import {
  COMPACTION_ORDER,
  compactRollups,
  type IndexKeeper,
  inLanes,
  ROLLUP_TABLES,
  type RollupTable,
} from './compact.ts';
import { DictionaryMirror } from './dictionary.ts';
import { DimResolver, KnownTemplates } from './dims.ts';
import {
  appendTail,
  checkOf,
  FINGERPRINT_BYTES,
  FileRewrittenError,
  type FileState,
  hashPrefix,
  readRange,
  sameContent,
  sha1,
  TAIL_BYTES,
} from './file-state.ts';
import { listTarget, resolveTarget, type WatchTarget } from './glob.ts';
import { emptyInsights, INSIGHT_COLUMNS } from './insights.ts';
import { findLineEnd, type LongLine, longLineReject, rejectChunk } from './long-line.ts';
import { Maintenance } from './maintenance.ts';
import { mergeChunks } from './merge.ts';
import { MinuteRetention } from './minute-retention.ts';
import { PartitionKeeper } from './partitions.ts';
import { type PreparedChunk, prepareChunk, type RejectAt } from './prepare.ts';
import { ChunkPreparer } from './preparer.ts';
import { RateMeter } from './progress.ts';
import { emptySlices } from './slices.ts';
import {
  type Batch,
  type BatchPart,
  CheckpointMovedError,
  type EncodedBatch,
  encodeBatch,
  writeBatch,
} from './writer.ts';

export interface WorkerOptions {
  pool: pg.Pool;
  dirs: AcctDir[];
  logger: Logger;
  /** Ingest what is there, then return. */
  once?: boolean;
  /**
   * Bytes of a file read and prepared at a time (a chunk; parse garbage dies young); at most
   * batchBytes.
   */
  chunkBytes?: number;
  /**
   * Upper bound of bytes in one batch (one transaction). A batch gathers consecutive chunks that
   * are already there: while backfilling it fills up, when tailing it is what has arrived.
   * Default 10 MiB: a backfill's hour, day and month keys recur in fewer transactions, so fewer
   * rollup rows are written and folded (1M records: PostgreSQL's CPU ~7 % less than at 6 MiB,
   * ~17 % less at 16 MiB). A batch's raw rows are held until it is written, and with two in flight
   * 16 MiB took peak RSS to 293–310 MB; 10 MiB kept it at 279–286 MB under tsx, and the bundled
   * worker at 246–266 MB (where 14 and 16 MiB still reached 299 and 295 MB).
   */
  batchBytes?: number;
  /**
   * Upper bound of records in one batch (default 22,000, what 10 MiB of the benchmark's 23-column
   * rows hold). What a batch holds in memory grows with its records more than with its bytes:
   * rows of ~370 bytes (a header_X-Job column, as the demo writes) put 28,500 in 10 MiB, and peak
   * RSS reached 296–308 MB; capped, 275–285 MB.
   */
  batchRecords?: number;
  /**
   * Batches of a file written at once, each on its own connection (default 2): the next batch's
   * rows are copied while the previous one commits, so PostgreSQL works on both cores. 1 writes
   * one batch at a time.
   */
  writesInFlight?: number;
  /** Rescan interval; file events from chokidar wake the worker sooner. */
  pollMs?: number;
  /** Close a drained file's descriptor after this long without growth… */
  idleCloseMs?: number;
  /**
   * … unless the file was modified within this long (by its mtime): a recent file may still get
   * lines and then be moved out of the followed folders (rotation with move-to), and only an open
   * descriptor reads them then. Older files are closed, so a folder of history holds no descriptors.
   */
  keepOpenMs?: number;
  /**
   * A followed file that has not grown for this long and ends with a line break is read as
   * finished: a quote open there was cut off (a crash), and the lines after it count.
   */
  settleMs?: number;
  rawRetentionDays?: number;
  /** Delete minute rollup rows older than this many days (MINUTE_ROLLUP_RETENTION_DAYS). */
  minuteRetentionDays?: number;
  /**
   * How long a file not being written to (history) is read before it gives way to a live file
   * (modified within the last minute) with bytes to read, for one pass.
   */
  shareAfterMs?: number;
  /**
   * Parsing threads. Default: one per core beyond the first (up to 4), at least one; on two
   * cores that is one, which leaves a core to PostgreSQL.
   */
  parseThreads?: number;
  onProgress?: (p: Progress) => void;
  /** How the upkeep rebuilds the rollup tables' indexes (default: new IndexKeeper()). */
  indexes?: IndexKeeper;
  /**
   * The longest record read, line break included (default 64 MiB): a record that has not ended
   * this far after its start is a reject (long-line.ts). Chunks are at most this long.
   */
  maxRecordBytes?: number;
}

export interface Progress {
  records: number;
  rejects: number;
  /** Bytes committed since the worker started (bytesDone also counts checkpoints it found). */
  bytesRead: number;
  bytesDone: number;
  bytesTotal: number;
  files: number;
}

const LF = 0x0a;
/** splitRecords' limit for a record inside quotes (an unbalanced quote beyond it is cut). */
const MALFORMED_QUOTE_BYTES = 1 << 20;
/**
 * Chunks prepared beyond one per parsing thread: while both writes in flight hold the main thread
 * back, the parsing threads keep working instead of waiting for it (~2.4 MB).
 */
const PREPARED_AHEAD = 1;
/** How long every scan must miss a file before it is gone (moved away, deleted). */
const GONE_AFTER_MS = 2000;
/** While one file is being read to its end, the folders are listed again this often for new files. */
const RELIST_MS = 2000;
/**
 * A file modified this recently is live (PowerMTA is writing it): each pass reads live files first,
 * and a history file being read gives way to them once it has been read for shareAfterMs.
 */
const LIVE_MS = 60_000;
/** With --once, a file unmodified this long is taken as finished. */
const FINISHED_AFTER_MS = 5000;
/**
 * Rollup tables folded at once, each on its own connection. A backfill's final fold (~3.5 s for
 * 1M records, one table after another) ran while the worker itself had nothing left to do.
 */
const COMPACTION_LANES = 2;
/** First key of the advisory locks that serialize registering a file (second key: its dev:inode). */
const FILE_LOCK_SPACE = 0x61637466; // 'actf'

/** What a worker loads of a file's checkpoint row when it starts following the file. */
type CheckpointRow = {
  id: number;
  offset: string;
  header: string[] | null;
  fp_len: number;
  fp: string;
  tail_len: number;
  tail_fp: string;
};

function sameHeader(a: string[] | null, b: string[] | null): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Whether a file modified at `mtimeNs` is live (within LIVE_MS of now). */
function modifiedRecently(mtimeNs: bigint): boolean {
  return Date.now() - Number(mtimeNs / 1_000_000n) < LIVE_MS;
}

/**
 * PostgreSQL errors that mean "this row's data is unacceptable", not "try again later": data
 * exceptions (22), a NULL or CHECK violation, and a value too large for a limit (54000, e.g. an
 * index entry over ~2,700 bytes; the prepare step rejects such values first, this is the net).
 */
function isDataError(error: unknown): boolean {
  const code = (error as { code?: string }).code ?? '';
  return code.startsWith('22') || code === '23502' || code === '23514' || code === '54000';
}

/**
 * A row whose day partition does not exist: PostgreSQL says check_violation, as for a CHECK
 * constraint, but names no constraint. The worker creates each day's partition once, so this is
 * one dropped since (by another worker's raw retention).
 */
function isMissingPartition(error: unknown): boolean {
  const e = error as { code?: string; constraint?: string };
  return e.code === '23514' && !e.constraint;
}

export class IngestWorker {
  private readonly opts: Required<
    Omit<
      WorkerOptions,
      'onProgress' | 'rawRetentionDays' | 'minuteRetentionDays' | 'parseThreads' | 'indexes'
    >
  > &
    Pick<WorkerOptions, 'onProgress' | 'rawRetentionDays' | 'minuteRetentionDays' | 'indexes'>;
  private readonly files = new Map<number, FileState>();
  private readonly partitions = new PartitionKeeper();
  private readonly dims = new DimResolver();
  private readonly insightDims = new DimResolver('insight_dim', INSIGHT_COLUMNS);
  private readonly templates = new KnownTemplates();
  private readonly preparer: ChunkPreparer;
  private targets: { target: WatchTarget; source: string }[] = [];
  private watcher: FSWatcher | null = null;
  private stopped = false;
  private wakeUp: (() => void) | null = null;
  private dirty = false;
  /** When the followed folders were last listed (discoverNew lists them again during long reads). */
  private lastListing = 0;
  /** A history file's read stopped for live files: the pass ends there, and the next reads them. */
  private gaveWay = false;
  /** Rollup rows appended since the last compaction, and the earliest bucket they touched. */
  private uncompacted = { rows: 0, since: Number.POSITIVE_INFINITY };
  /**
   * Minute buckets written since the last compaction → by how many batches. A batch writes one
   * row per key and bucket, so only a minute written by several batches can be folded: the minute
   * tables are compacted for those buckets alone (a backfill's batches share only their edge
   * minutes; reading every minute row since `since` to find them took ~1.2 s per 1M records).
   * A minute written once since the last compaction (by this worker) keeps the rows it had from
   * before or from other workers; sums are exact either way, folding only saves rows to read.
   */
  private minuteWrites = new Map<number, number>();
  private lastCompaction = Date.now();
  /** Index rebuilds and, where autovacuum does not run, VACUUM and ANALYZE: beside the ingest. */
  readonly maintenance: Maintenance;
  /** Deletes minute rollup rows past MINUTE_ROLLUP_RETENTION_DAYS, beside the ingest. */
  private readonly minuteRetention: MinuteRetention | null;
  readonly id = `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  readonly progress: Progress = {
    records: 0,
    rejects: 0,
    bytesRead: 0,
    bytesDone: 0,
    bytesTotal: 0,
    files: 0,
  };
  /** The pace over the last minute, sampled at each heartbeat. */
  private readonly pace = new RateMeter(60_000);

  constructor(options: WorkerOptions) {
    this.opts = {
      once: false,
      chunkBytes: 1 << 20,
      batchBytes: 10 << 20,
      batchRecords: 22_000,
      writesInFlight: 2,
      pollMs: 1000,
      idleCloseMs: 60_000,
      keepOpenMs: 24 * 3_600_000,
      // Long enough that no writer pauses inside a record for it (PowerMTA writes whole records).
      settleMs: 30_000,
      shareAfterMs: 2000,
      maxRecordBytes: 64 << 20,
      ...options,
    };
    // A client whose server went away emits 'error': the pool listens on its idle clients, but one
    // checked out (a batch being written) had no listener, and the event killed the process. Every
    // client gets one: the statement in flight fails too, and the retries below handle the outage
    // (the pool drops a client that was cut when it is released).
    const lost = (error: Error) => this.opts.logger.warn({ err: error }, 'database connection lost');
    this.opts.pool.on('error', lost);
    this.opts.pool.on('connect', (client) => client.on('error', lost));
    this.maintenance = new Maintenance({
      pool: this.opts.pool,
      logger: this.opts.logger,
      ...(options.indexes ? { indexes: options.indexes } : {}),
    });
    this.minuteRetention = options.minuteRetentionDays
      ? new MinuteRetention(this.opts.pool, options.minuteRetentionDays, this.opts.logger)
      : null;
    this.preparer = new ChunkPreparer(
      options.parseThreads ?? Math.max(1, Math.min(4, os.availableParallelism() - 1)),
    );
  }

  /**
   * Stops: the batch being written commits, and run() returns. The upkeep stops at once, its
   * statement running cancelled: it waited for the ingest's turn to end, and meanwhile went on
   * starting VACUUMs (soak: a VACUUM begun after Ctrl-C was cancelled 5.4 s later, at the end of a
   * catch-up batch).
   */
  stop(): void {
    this.stopped = true;
    void this.maintenance.stop();
    void this.minuteRetention?.stop();
    this.wake();
  }

  private wake(): void {
    this.dirty = true;
    this.wakeUp?.();
  }

  async run(): Promise<void> {
    const { logger } = this.opts;
    this.targets = await Promise.all(
      this.opts.dirs.map(async (d) => ({ target: await resolveTarget(d.pattern), source: d.source })),
    );
    let lastHeartbeat = Date.now();
    let lastRetention = 0;
    try {
      // Registered in the try: a worker asked to stop while its database cannot be reached stops
      // here too (withRetry gives up once stopped).
      await this.withRetry('register worker', () => this.heartbeat(true));
      this.maintenance.kick();
      if (!this.opts.once) {
        this.watcher = watch(
          this.targets.map((t) => t.target.dir),
          { ignoreInitial: true, depth: 0, persistent: true },
        );
        this.watcher.on('all', () => this.wake());
        this.watcher.on('error', (error) =>
          logger.warn({ err: error }, 'file watcher error; polling continues'),
        );
      }
      while (!this.stopped) {
        this.dirty = false;
        const progressed = await this.tick();
        // Retention first: a --once run (a cron job) that finds nothing new still prunes.
        if ((this.opts.rawRetentionDays || this.minuteRetention) && Date.now() - lastRetention > 3_600_000) {
          lastRetention = Date.now();
          // Minute rollup rows are deleted beside the ingest (a busy day of them takes minutes),
          // raw day partitions here (a DROP each).
          this.minuteRetention?.kick();
          if (this.opts.rawRetentionDays) {
            const dropped = await this.partitions
              .dropOlderThan(this.opts.pool, this.opts.rawRetentionDays)
              .catch((error) => logger.warn({ err: error }, 'retention failed'));
            if (dropped?.length) logger.info({ dropped }, 'dropped raw partitions past retention');
          }
        }
        if (this.opts.once && !progressed && !this.dirty) {
          // A backfill ends compacted, its indexes rebuilt if folding left them sparse (and, where
          // autovacuum does not run, its tables vacuumed and analyzed). Every rollup table's
          // indexes are looked at, folded by this run or not: a run that found nothing new left a
          // following worker's bloat as it was (soak: 27 MB of slice hour index for 25k rows).
          await this.maybeCompact(false, true);
          this.maintenance.kick(ROLLUP_TABLES, true);
          await Promise.all([this.maintenance.idle(), this.minuteRetention?.idle()]);
          break;
        }
        if (Date.now() - lastHeartbeat > 5000) {
          lastHeartbeat = Date.now();
          await this.heartbeat(false).catch((error) => logger.warn({ err: error }, 'heartbeat failed'));
        }
        await this.maybeCompact(progressed);
        this.maintenance.tick();
        if (!progressed && !this.dirty && !this.stopped) await this.idle();
      }
    } catch (error) {
      if (!this.stopped) throw error;
      logger.warn(
        { err: error },
        'stopped while the database could not be reached: what it had not committed is read again at the next start',
      );
    } finally {
      await this.watcher?.close();
      await this.maintenance.stop();
      await this.minuteRetention?.stop();
      await this.preparer.close();
      for (const f of this.files.values()) await f.fd?.close().catch(() => {});
      await this.opts.pool.query('DELETE FROM ingest_worker WHERE id = $1', [this.id]).catch(() => {});
    }
  }

  /**
   * Live tailing writes many small batches, each adding a rollup row per (bucket, dim) it touched;
   * fold them every 30 s when caught up, every 2 min while busy (a backfill writes fewer, larger batches),
   * and at once when `now` (the end of a --once run).
   */
  private async maybeCompact(progressed: boolean, now = false): Promise<void> {
    const { rows, since } = this.uncompacted;
    const age = Date.now() - this.lastCompaction;
    if (rows === 0 || (!now && age < (progressed ? 120_000 : 30_000))) return;
    const minuteWrites = this.minuteWrites;
    this.uncompacted = { rows: 0, since: Number.POSITIVE_INFINITY };
    this.minuteWrites = new Map();
    this.lastCompaction = Date.now();
    const minutes: Date[] = [];
    for (const [minute, batches] of minuteWrites) if (batches > 1) minutes.push(new Date(minute));
    const tables = COMPACTION_ORDER.filter((t) => !t.endsWith('_minute') || minutes.length > 0);
    const compact = async (table: RollupTable) => {
      if (!table.endsWith('_minute'))
        await compactRollups(this.opts.pool, table, new Date(since - 3_600_000));
      else await compactRollups(this.opts.pool, table, minutes);
    };
    try {
      await inLanes(tables, COMPACTION_LANES, compact);
    } catch (error) {
      this.opts.logger.warn({ err: error }, 'rollup compaction failed; will retry');
      this.uncompacted = {
        rows: rows + this.uncompacted.rows,
        since: Math.min(since, this.uncompacted.since),
      };
      for (const [minute, batches] of minuteWrites)
        this.minuteWrites.set(minute, (this.minuteWrites.get(minute) ?? 0) + batches);
    }
    // Indexes the fold left sparse are rebuilt beside the ingest: a rebuild of a big table's index
    // (or one waiting for a long transaction) held up freshness when the ingest waited for it.
    this.maintenance.kick(tables);
  }

  private idle(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.opts.pollMs);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = () => {
        this.wakeUp = null;
        // A short pause lets a writer finish the line it is writing: fewer, fuller batches.
        setTimeout(done, 15);
      };
    });
  }

  private async heartbeat(first: boolean): Promise<void> {
    const dirs = JSON.stringify(
      this.opts.dirs.map((d, i) => ({
        source: d.source,
        pattern: d.pattern,
        dir: this.targets[i]?.target.dir,
      })),
    );
    if (first) {
      // Rows of workers that stopped without deregistering (killed, crashed, their database shut
      // down first): this worker's silent predecessor (same host, same folders) is replaced, and
      // any row silent for SILENT_WORKER_KEPT_DAYS is dropped.
      await this.opts.pool.query(
        `DELETE FROM ingest_worker
          WHERE heartbeat_at < now() - make_interval(secs => $3)
            AND ((host = $1 AND dirs = $2::jsonb) OR heartbeat_at < now() - make_interval(days => $4))`,
        [os.hostname(), dirs, WORKER_SILENT_AFTER_MS / 1000, SILENT_WORKER_KEPT_DAYS],
      );
      // A predecessor on this host whose process is gone is replaced at once, silent or not yet:
      // `npm start` killed and started again within 30 s showed the dead worker beside the new one
      // (its database had stopped before it could deregister).
      const { rows } = await this.opts.pool.query<{ id: string; pid: number }>(
        'SELECT id, pid FROM ingest_worker WHERE host = $1 AND dirs = $2::jsonb AND id <> $3',
        [os.hostname(), dirs, this.id],
      );
      const dead = rows.filter((r) => !processExists(r.pid)).map((r) => r.id);
      if (dead.length > 0)
        await this.opts.pool.query('DELETE FROM ingest_worker WHERE id = ANY($1::text[])', [dead]);
    }
    // What it has done since it started, and its pace over the last minute: the ingest screen's
    // rate and the time its lag will take.
    const p = this.progress;
    // Over the bytes it read: the checkpoints it found at its start are not its pace.
    const pace = this.pace.sample({ ...p, bytesDone: p.bytesRead });
    await this.opts.pool.query(
      `INSERT INTO ingest_worker (id, host, pid, dirs, started_at, heartbeat_at,
                                  records, rejects, records_per_sec, bytes_per_sec)
       VALUES ($1, $2, $3, $4, now(), now(), $5, $6, $7, $8)
       ON CONFLICT (id) DO UPDATE SET heartbeat_at = now(), records = excluded.records,
         rejects = excluded.rejects,
         records_per_sec = excluded.records_per_sec, bytes_per_sec = excluded.bytes_per_sec${
           first ? ', dirs = excluded.dirs' : ''
         }`,
      [this.id, os.hostname(), process.pid, dirs, p.records, p.rejects, pace.recordsPerSec, pace.bytesPerSec],
    );
  }

  /** Retries a database step with backoff until it succeeds: the worker outlives database outages. */
  private withRetry<T>(what: string, fn: () => Promise<T>): Promise<T> {
    return retryWithBackoff(fn, 250, (error, retryInMs) => {
      if (error instanceof CheckpointMovedError || isDataError(error)) return false;
      // Asked to stop: not retried (a worker stopped while its database was gone retried its batch
      // forever, with npm start gone). Nothing is lost: the batch's records and its checkpoint
      // were not committed, and the next start reads them again.
      if (this.stopped) return false;
      this.opts.logger.warn({ err: error, retryInMs }, `${what} failed; retrying`);
      return true;
    });
  }

  /**
   * Files that appeared since the last listing, opened and registered (their records are read on
   * the next pass). Called between the batches of a long read: a pass listed the folders only
   * before reading every file to its end, so a file created and moved out (or deleted) during a
   * backfill was never seen, and a new live file waited for the whole pass (QA). Once open, a file
   * keeps its content for the worker whatever happens to its name.
   */
  private async discoverNew(): Promise<void> {
    if (Date.now() - this.lastListing < RELIST_MS) return;
    this.lastListing = Date.now();
    const known = new Set([...this.files.values()].map((f) => `${f.dev}:${f.ino}`));
    for (const { target, source } of this.targets) {
      for (const path of await listTarget(target).catch(() => [])) {
        const st = await stat(path, { bigint: true }).catch(() => null);
        if (!st || known.has(`${st.dev}:${st.ino}`)) continue;
        const state = await this.track(path, source).catch((error) => {
          this.opts.logger.warn({ err: error, path }, 'cannot open file');
          return null;
        });
        if (state) known.add(`${state.dev}:${state.ino}`);
      }
    }
  }

  /** One pass: discover files, then read every file that has unread bytes. */
  private async tick(): Promise<boolean> {
    this.lastListing = Date.now();
    const seen = new Set<number>();
    for (const { target, source } of this.targets) {
      for (const path of await listTarget(target)) {
        const state = await this.track(path, source).catch((error) => {
          this.opts.logger.warn({ err: error, path }, 'cannot open file');
          return null;
        });
        if (state) seen.add(state.id);
      }
    }
    let progressed = false;
    // Live files first (stable: the others in the order they were found). A worker started on a
    // folder of history began with the oldest file, and today's traffic waited for all of it.
    const files = [...this.files.values()];
    const live = new Set(files.filter((f) => modifiedRecently(f.seenMtime)));
    const order = [...live, ...files.filter((f) => !live.has(f))];
    this.gaveWay = false;
    for (const state of order) {
      // A file renamed between the listing and its stat (listed under the old name, gone by then)
      // is missing from one scan: taken as gone, it was read as finished and a record still being
      // written was cut. Gone is when every scan has missed it for 2 s (so at least twice: the
      // first miss starts the clock).
      const found = seen.has(state.id);
      state.missingSince = found ? null : (state.missingSince ?? Date.now());
      const gone = state.missingSince !== null && Date.now() - state.missingSince >= GONE_AFTER_MS;
      state.present = !gone;
      if (!found && !gone && this.opts.once) {
        // A one-shot run must not end before it knows: look again shortly.
        this.dirty = true;
        await sleep(100);
      }
      try {
        if (await this.drain(state)) progressed = true;
      } catch (error) {
        if (error instanceof FileRewrittenError) {
          // What was ingested of it stays; the next listing finds its new content, a new file.
          this.logRewritten(state, 'while being read');
          await this.release(state, 'replaced');
          this.dirty = true;
          continue;
        }
        if (!(error instanceof CheckpointMovedError)) throw error;
        this.opts.logger.warn({ path: state.path }, error.message);
        await state.fd?.close().catch(() => {});
        this.files.delete(state.id);
        continue;
      }
      if (!state.present) await this.release(state, 'gone');
      if (this.gaveWay) break; // the next pass starts with the live files
    }
    this.reportProgress();
    return progressed;
  }

  /**
   * Whether a history file being read (`reading`) should give way: a live file, other than it, has
   * bytes it has not read. Live files themselves never give way (a backfill of fresh files, as a
   * benchmark has, reads each file to its end).
   */
  private async liveFileWaiting(reading: FileState): Promise<boolean> {
    if (modifiedRecently(reading.seenMtime)) return false;
    for (const f of this.files.values()) {
      if (f === reading || !f.fd || !f.present) continue;
      const st = await f.fd.stat({ bigint: true }).catch(() => null);
      if (st && modifiedRecently(st.mtimeNs) && Number(st.size) > f.offset) return true;
    }
    return false;
  }

  /** Bytes ingested vs bytes known across the followed files (for the progress bar and logs). */
  private reportProgress(): void {
    let bytesDone = 0;
    let bytesTotal = 0;
    for (const f of this.files.values()) {
      bytesDone += f.offset;
      bytesTotal += Math.max(f.reportedSize, f.seenSize, f.offset);
    }
    this.progress.bytesDone = bytesDone;
    this.progress.bytesTotal = bytesTotal;
    this.progress.files = this.files.size;
    this.opts.onProgress?.(this.progress);
  }

  /** Finds (or creates) the checkpoint of the file now at `path`. */
  private async track(path: string, source: string): Promise<FileState | null> {
    const pre = await stat(path, { bigint: true });
    const same = [...this.files.values()].find((f) => f.dev === String(pre.dev) && f.ino === String(pre.ino));
    // Unchanged since the last look: skip re-opening and re-fingerprinting it. The time counts too:
    // a file rewritten in place to the same length (QA) was never looked at again.
    if (same?.fd && Number(pre.size) === same.seenSize && pre.mtimeNs === same.seenMtime) {
      await this.notePath(same, path);
      return same;
    }
    const fd = await open(path, 'r');
    let keep = false;
    try {
      const st = await fd.stat({ bigint: true });
      const dev = String(st.dev);
      const ino = String(st.ino);
      const size = Number(st.size);
      const known = [...this.files.values()].find((f) => f.dev === dev && f.ino === ino);
      if (known) {
        known.seenSize = size;
        known.seenMtime = st.mtimeNs;
        await this.notePath(known, path);
        if (await sameContent(fd, size, checkOf(known, known.offset, known.tail))) {
          if (!known.fd) {
            known.fd = fd;
            keep = true;
          }
          return known;
        }
        // Truncated or rewritten in place: what was ingested stays; the new content is a new file.
        this.logRewritten(known, 'since it was last read');
        await this.release(known, 'replaced');
      }
      const { row, tail } = await this.withRetry('load checkpoint', () =>
        this.checkpointOf(fd, size, { source, path, dev, ino }),
      );
      const state: FileState = {
        id: row.id,
        source,
        path,
        dev,
        ino,
        offset: Number(row.offset),
        header: row.header,
        fpLen: row.fp_len,
        fp: row.fp,
        tail,
        fd,
        reportedSize: -1,
        seenSize: size,
        seenMtime: st.mtimeNs,
        present: true,
        missingSince: null,
        lastChangeAt: Date.now(),
        longLine: null,
      };
      this.files.set(state.id, state);
      keep = true;
      return state;
    } finally {
      if (!keep) await fd.close();
    }
  }

  /**
   * The checkpoint row of the file behind `fd` (its dev and inode), created if it has none. One
   * transaction under an advisory lock on (dev, inode): two workers discovering the same new file
   * at once would otherwise each insert a row and count the file twice; the second one waits and
   * finds the first one's row. Rows of an earlier file on a reused inode are marked replaced.
   */
  private async checkpointOf(
    fd: FileHandle,
    size: number,
    file: { source: string; path: string; dev: string; ino: string },
  ): Promise<{ row: CheckpointRow; tail: Buffer }> {
    const client = await this.opts.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [
        FILE_LOCK_SPACE,
        `${file.dev}:${file.ino}`,
      ]);
      const rows = await client.query<CheckpointRow>(
        `SELECT id, "offset", header, fp_len, fp, tail_len, tail_fp FROM acct_file
          WHERE dev = $1 AND ino = $2 AND status <> 'replaced' ORDER BY id DESC`,
        [file.dev, file.ino],
      );
      let row: CheckpointRow | null = null;
      let tail: Buffer = Buffer.alloc(0);
      for (const r of rows.rows) {
        const check = {
          offset: Number(r.offset),
          fpLen: r.fp_len,
          fp: r.fp,
          tailLen: r.tail_len,
          tailFp: r.tail_fp,
        };
        const read = await sameContent(fd, size, check);
        if (read) {
          row = r;
          tail = read;
          break;
        }
        // An inode reused by a new file, or a file rewritten while no worker followed it.
        this.opts.logger.warn(
          { path: file.path, fileId: r.id, offset: check.offset },
          'file holds other content than its checkpoint describes (truncated, overwritten or a reused inode): what was ingested of it stays, and it is read from its start as a new file',
        );
        await client.query(`UPDATE acct_file SET status = 'replaced' WHERE id = $1`, [r.id]);
      }
      if (row) {
        await client.query(
          `UPDATE acct_file SET path = $2, status = 'active', seen_at = now() WHERE id = $1`,
          [row.id, file.path],
        );
      } else {
        const inserted = await client.query<{ id: number }>(
          `INSERT INTO acct_file (source, path, dev, ino, size) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
          [file.source, file.path, file.dev, file.ino, size],
        );
        row = {
          id: inserted.rows[0].id,
          offset: '0',
          header: null,
          fp_len: 0,
          fp: '',
          tail_len: 0,
          tail_fp: '',
        };
      }
      await client.query('COMMIT');
      return { row, tail };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  /** A file renamed under us (move-to) keeps its identity and checkpoint; only its path changes. */
  private async notePath(state: FileState, path: string): Promise<void> {
    if (state.path === path) return;
    state.path = path;
    await this.withRetry('record rename', () =>
      this.opts.pool.query('UPDATE acct_file SET path = $2 WHERE id = $1', [state.id, path]),
    );
  }

  private logRewritten(state: FileState, when: string): void {
    this.opts.logger.warn(
      { path: state.path, fileId: state.id, offset: state.offset },
      `file truncated or overwritten ${when}: what was ingested of it stays, and it is read from its start as a new file`,
    );
  }

  private async release(state: FileState, status: 'gone' | 'replaced'): Promise<void> {
    await state.fd?.close().catch(() => {});
    state.fd = null;
    this.files.delete(state.id);
    await this.withRetry('update file status', () =>
      this.opts.pool.query('UPDATE acct_file SET status = $2 WHERE id = $1', [state.id, status]),
    );
  }

  /**
   * Reads a file from its checkpoint to its current end, batch by batch. Parsing threads prepare
   * the next chunks (cut at record boundaries, each assumed to start under the header in effect
   * before it) while the main thread writes the previous batch; at most one write is in flight,
   * which is the backpressure. A chunk prepared under a wrong assumption (a header row, or a
   * malformed quote that moved the boundary) is discarded and prepared again.
   */
  private async drain(state: FileState): Promise<boolean> {
    if (!state.fd) return false;
    const fd = state.fd;
    const st = await fd.stat();
    const size = Number(st.size);
    // A file rotated away, or one a one-shot run finds untouched for a while, gets no more bytes:
    // an open quote at its end is unbalanced, and the records after it must not wait forever.
    const final = !state.present || (this.opts.once && Date.now() - st.mtimeMs > FINISHED_AFTER_MS);
    if (size !== state.reportedSize) {
      state.lastChangeAt = Date.now();
      await this.withRetry('record size', () =>
        this.opts.pool.query('UPDATE acct_file SET size = $2, seen_at = now() WHERE id = $1', [
          state.id,
          size,
        ]),
      );
      state.reportedSize = size;
    }
    type Slot = {
      offset: number;
      length: number;
      startHeader: string[] | null;
      /** Its last bytes (up to TAIL_BYTES), kept before the chunk goes to a parsing thread. */
      tail: Buffer;
      chunk: Promise<PreparedChunk>;
      /** An over-long line's reject: written as a batch of its own (see the loop below). */
      alone?: boolean;
    };
    const queue: Slot[] = [];
    let header = state.header; // in effect at commitOffset
    let commitOffset = state.offset; // where the next chunk must start (the end of those gathered)
    let readOffset = state.offset; // where the next chunk to dispatch starts
    let tail: Buffer | null = state.tail; // the bytes just before commitOffset as read (null: not kept)
    // Set once the file turns out to be rewritten under the same inode: nothing more is written.
    let rewritten = false;
    const maxRecord = this.opts.maxRecordBytes;
    const chunkBytes = Math.min(this.opts.chunkBytes, this.opts.batchBytes, maxRecord);
    let want = chunkBytes;
    let slotNo = 0;
    const startedAt = Date.now();
    // Set once a live file waits: nothing more is read; what is prepared is written, then the pass
    // moves on (the rest of this file is read on the next one).
    let givingWay = false;
    /** A chunk of `length` bytes at readOffset holding nothing but `reject` (an over-long line). */
    const pushReject = (length: number, reject: RejectAt) => {
      const input = { fileId: state.id, source: state.source, offset: readOffset, header };
      queue.push({
        offset: readOffset,
        length,
        startHeader: header,
        // None of the line is held: the batch reads the bytes before its end again (flush).
        tail: Buffer.alloc(0),
        chunk: Promise.resolve(rejectChunk(input, length, reject)),
        alone: true,
      });
      readOffset += length;
    };
    /**
     * The line at readOffset, longer than a chunk (state.longLine), scanned for its line break on
     * from where the last look stopped: 'read' it whole when it is within the limit (want is its
     * length), 'reject' it when it is over it, or 'wait' for its line break, holding none of it.
     */
    const measureLongLine = async (long: LongLine): Promise<'read' | 'reject' | 'wait'> => {
      if (long.end === null) {
        const found = await findLineEnd(fd, long.scannedTo, size);
        long.scannedTo = size;
        if (found !== -1) long.end = found;
      }
      const end = long.end ?? (final ? size : null);
      if (end === null) return 'wait';
      if (end - long.offset <= maxRecord) {
        state.longLine = null;
        want = end - long.offset;
        return 'read';
      }
      const line = { offset: long.offset, end, maxRecordBytes: maxRecord, atFileEnd: long.end === null };
      pushReject(end - long.offset, await longLineReject(fd, line));
      return 'reject';
    };
    const fill = async () => {
      while (!givingWay && queue.length < this.preparer.threads + PREPARED_AHEAD && readOffset < size) {
        let measured = false;
        if (state.longLine?.offset === readOffset) {
          const step = await measureLongLine(state.longLine);
          if (step === 'wait') return;
          if (step === 'reject') continue;
          measured = true;
        }
        const length = Math.min(want, size - readOffset);
        const bytes = new Uint8Array(length);
        const { bytesRead } = await fd.read(bytes, 0, length, readOffset);
        const read = bytes.subarray(0, bytesRead);
        let end = lastRecordEnd(read);
        const atEnd = readOffset + bytesRead >= size;
        // A followed file that has not grown for settleMs and whose bytes end with a line break
        // holds no record still being written: a quote open there was cut off (a crash), and the
        // complete lines after it must not wait for a later quote or 1 MiB more (in a file of
        // unquoted rows that was hours of undercount). A partial last line (no line break) waits.
        const settled =
          atEnd && !final && Date.now() - st.mtimeMs > this.opts.settleMs && bytes[bytesRead - 1] === LF;
        const last = (final && atEnd) || settled;
        if (last)
          end = bytesRead; // splitRecords (told it is final) cuts an unbalanced quote
        else if (end === 0) {
          // No record ends here. A quote crossing a line left open past 1 MiB: splitRecords cuts
          // it. Otherwise the record is not complete: read on to its end, up to maxRecord (a 3 MiB
          // line used to stop the file there, silently; so did a record past 2 MiB whose quoted
          // value held a line break). A line longer than a chunk is scanned for its line break
          // first (measureLongLine), not read again and again twice as long.
          if (bytesRead > MALFORMED_QUOTE_BYTES && cutsUnclosedQuote(read, MALFORMED_QUOTE_BYTES))
            end = bytesRead;
          else if (bytesRead < maxRecord && (bytesRead < want || atEnd)) {
            return; // a partial last record waits for its newline
          } else if (!measured && read.indexOf(LF) === -1) {
            state.longLine = { offset: readOffset, scannedTo: readOffset + bytesRead, end: null };
            continue;
          } else if (bytesRead < maxRecord) {
            want = Math.min(want * 2, maxRecord); // a record bigger than a chunk, its quotes spanning lines
            continue;
          } else {
            // Not ended maxRecord after its start, though a line break is in these bytes (inside
            // a quoted value, or the record would have ended there): a reject, its first line.
            want = chunkBytes;
            const nl = read.indexOf(LF);
            if (nl === -1) {
              // Only if the file changed under a measured line: measured again, from here on.
              state.longLine = { offset: readOffset, scannedTo: readOffset + bytesRead, end: null };
              continue;
            }
            const line = {
              offset: readOffset,
              end: readOffset + nl + 1,
              maxRecordBytes: maxRecord,
              quoted: true,
            };
            pushReject(nl + 1, await longLineReject(fd, line));
            continue;
          }
        }
        want = chunkBytes;
        const input = { fileId: state.id, source: state.source, offset: readOffset, header, final: last };
        const own = end === bytes.length ? bytes : bytes.slice(0, end);
        const slotTail = Buffer.from(bytes.subarray(Math.max(0, end - TAIL_BYTES), end)); // a copy
        queue.push({
          offset: readOffset,
          length: end,
          startHeader: header,
          tail: slotTail,
          chunk: this.preparer.prepare(slotNo++, own, input),
        });
        readOffset += end;
      }
    };
    const discardQueue = async () => {
      await Promise.allSettled(queue.map((s) => s.chunk));
      queue.length = 0;
      readOffset = commitOffset;
    };
    // Batches being written, oldest first: a batch's rows are copied while the one before it
    // commits, and it commits after it (writeBatch's `after`).
    const inflight: Promise<void>[] = [];
    let progressed = false;
    // The batch being gathered: consecutive chunks from batchFrom up to commitOffset, with their
    // dictionary ids. It is written (one transaction) once it holds batchBytes or no chunk follows
    // yet; meanwhile the previous batch is being written and the parsing threads run ahead.
    let parts: BatchPart[] = [];
    let batchFrom = commitOffset;
    let fromTail: Buffer = state.tail; // the bytes just before batchFrom as read
    let batchRecords = 0;
    const flush = async () => {
      if (parts.length === 0 || rewritten) return;
      const chunk = mergeChunks(parts.map((p) => p.chunk));
      const minutes = new Set<number>();
      for (const { chunk: c } of parts)
        for (let i = 0; i < c.minute.bucket.length; i++) minutes.add(c.minute.bucket[i]);
      // A chunk consumed only in part kept no copy of the bytes before where it was cut.
      const tailBytes =
        tail ?? (await readRange(fd, commitOffset - Math.min(TAIL_BYTES, commitOffset), commitOffset));
      const batch: Batch = {
        fileId: state.id,
        fromOffset: batchFrom,
        toOffset: commitOffset,
        size,
        chunk,
        minutes: [...minutes],
        tail: { bytes: tailBytes, hash: sha1(tailBytes) },
      };
      if (state.fpLen < FINGERPRINT_BYTES && batch.toOffset > state.fpLen) {
        const fpLen = Math.min(FINGERPRINT_BYTES, batch.toOffset);
        batch.fingerprint = { len: fpLen, hash: await hashPrefix(fd, fpLen) };
      }
      // A file truncated and written again since its content was last checked (after the listing,
      // or while it was being read) had its new bytes read as the old file's continuation. So,
      // after reading, its first bytes and the ones just before the batch must still be the ones
      // read: one stat per batch, and two small reads only when the file changed (a live file).
      // Truncated after this batch was read, the file loses it too: those bytes are gone.
      const now = await fd.stat({ bigint: true });
      if (Number(now.size) !== state.seenSize || now.mtimeNs !== state.seenMtime) {
        const nowSize = Number(now.size);
        const check = checkOf(state, batchFrom, fromTail);
        if (nowSize < batch.toOffset || !(await sameContent(fd, nowSize, check))) {
          rewritten = true;
          givingWay = true;
          parts = [];
          return;
        }
        state.seenSize = nowSize;
        state.seenMtime = now.mtimeNs;
      }
      const encoded = encodeBatch(batch, parts, this.templates.missing(chunk.insights.templates));
      parts = [];
      batchFrom = commitOffset;
      fromTail = tailBytes;
      batchRecords = 0;
      if (inflight.length >= this.opts.writesInFlight) await inflight.shift();
      const written = this.commit(state, encoded, inflight.at(-1));
      written.catch(() => {}); // awaited in order below; not unhandled meanwhile
      inflight.push(written);
      progressed = true;
    };
    await fill();
    while (queue.length > 0 && !rewritten && !(this.stopped && !this.opts.once)) {
      const slot = queue.shift()!;
      const chunk = await slot.chunk;
      if (slot.offset !== commitOffset || !sameHeader(slot.startHeader, header)) {
        await discardQueue(); // prepared under a stale assumption
        await fill();
        continue;
      }
      if (chunk.consumed === 0) break;
      // An over-long line's reject is a batch of its own: were the database to refuse a record of
      // the batch, writeSplit would read the batch's bytes again and parse them, the line too.
      if (slot.alone) {
        await flush();
        state.longLine = null;
      }
      commitOffset += chunk.consumed;
      if (chunk.consumed !== slot.length || slot.alone) tail = null;
      else if (tail || slot.tail.length >= Math.min(TAIL_BYTES, commitOffset))
        tail = appendTail(tail ?? Buffer.alloc(0), slot.tail);
      const headerChanged = !sameHeader(chunk.header, header);
      header = chunk.header;
      // Chunks queued behind this one assumed its length and its header.
      if (chunk.consumed !== slot.length || headerChanged) await discardQueue();
      await fill();
      parts.push(await this.resolveIds(chunk));
      batchRecords += chunk.recordCount;
      if (
        slot.alone ||
        commitOffset - batchFrom >= this.opts.batchBytes ||
        batchRecords >= this.opts.batchRecords ||
        queue.length === 0
      ) {
        await flush();
        await this.discoverNew();
        if (
          !givingWay &&
          Date.now() - startedAt >= this.opts.shareAfterMs &&
          (await this.liveFileWaiting(state))
        ) {
          givingWay = true;
          this.gaveWay = true;
        }
      }
    }
    await flush();
    while (inflight.length > 0) await inflight.shift();
    await Promise.allSettled(queue.map((s) => s.chunk));
    if (rewritten) throw new FileRewrittenError(state.path);
    const now = Date.now();
    if (
      !progressed &&
      state.present &&
      now - state.lastChangeAt > this.opts.idleCloseMs &&
      now - st.mtimeMs > this.opts.keepOpenMs
    ) {
      await fd.close().catch(() => {});
      state.fd = null;
    }
    return progressed;
  }

  /** Writes a batch (after `after`, the file's previous batch) and moves the file's state past it. */
  private async commit(state: FileState, encoded: EncodedBatch, after?: Promise<void>): Promise<void> {
    const { batch } = encoded;
    const { chunk } = batch;
    await this.write(state, encoded, after);
    state.offset = batch.toOffset;
    state.tail = batch.tail.bytes;
    state.header = chunk.header;
    if (batch.fingerprint) {
      state.fpLen = batch.fingerprint.len;
      state.fp = batch.fingerprint.hash;
    }
    this.progress.records += chunk.recordCount;
    this.progress.rejects += chunk.rejects.length;
    this.progress.bytesRead += batch.toOffset - batch.fromOffset;
    this.reportProgress();
    if (chunk.recordCount > 0) {
      this.uncompacted.rows += chunk.recordCount;
      this.uncompacted.since = Math.min(this.uncompacted.since, chunk.firstMs);
    }
    for (const m of batch.minutes ?? []) this.minuteWrites.set(m, (this.minuteWrites.get(m) ?? 0) + 1);
  }

  /** The day partitions a chunk needs, and its dictionary ids. */
  private async resolveIds(chunk: PreparedChunk): Promise<BatchPart> {
    const mirror = chunk.mirror ?? DictionaryMirror.of(chunk);
    return this.withRetry('prepare batch', async () => {
      await this.partitions.ensureDays(this.opts.pool, chunk.days);
      await mirror.resolve(this.opts.pool, this.dims, this.insightDims);
      return { chunk, dimIds: mirror.dimIds, insightIds: mirror.insightIds, sliceIds: mirror.sliceIds };
    });
  }

  /** A batch of one chunk (prepared on this thread, see writeSplit), ready to write. */
  private async encode(batch: Batch): Promise<EncodedBatch> {
    const part = await this.resolveIds(batch.chunk);
    return encodeBatch(batch, [part], this.templates.missing(batch.chunk.insights.templates));
  }

  /**
   * Writes a batch, retrying while the database is unreachable. If PostgreSQL refuses a value
   * (a data error), the byte range is split and prepared again until the one offending record is
   * found; that record becomes a reject and everything else still lands.
   */
  private async write(
    state: FileState,
    encoded: EncodedBatch,
    after?: Promise<void>,
    partitionsMade = false,
  ): Promise<void> {
    const { batch } = encoded;
    // If the previous batch failed, where the file stands is not known here: reload it.
    const previous = (after ?? Promise.resolve()).catch(() => {
      throw new CheckpointMovedError(batch.fileId);
    });
    previous.catch(() => {}); // awaited by writeBatch, maybe after a retry
    try {
      await this.withRetry('write batch', async () => {
        const client = await this.opts.pool.connect();
        try {
          await writeBatch(client, encoded, previous);
          this.templates.remember(encoded.templates);
        } finally {
          client.release();
        }
      });
    } catch (error) {
      if (isMissingPartition(error) && !partitionsMade) {
        // Another worker's raw retention dropped a day partition this worker had made (workers of
        // several hosts share the database): its rows were split down to rejects ('no partition
        // of relation found for row') and left out of the counts. Make the days again, write again.
        const { days } = batch.chunk;
        this.partitions.forget(days);
        await this.withRetry('prepare batch', () => this.partitions.ensureDays(this.opts.pool, days));
        return this.write(state, encoded, after, true);
      }
      if (!isDataError(error) || !state.fd) throw error;
      await previous; // the split's batches follow the previous one
      await this.writeSplit(state, batch, (error as Error).message);
    }
  }

  private async writeSplit(state: FileState, batch: Batch, dbError: string): Promise<void> {
    const fd = state.fd!;
    const { chunk } = batch;
    // Every byte of the batch was read as records: its end is a record's end, or the end of a
    // finished (or settled) file, where a quote still open is cut and the lines after it count.
    // Parsed as if more bytes could follow, the quote stayed open to the end, those lines were no
    // records, and the checkpoint still went past them. So the part that reaches the batch's end
    // is parsed as final (a part ending at a record's start parses the same either way).
    const reread = async (from: number, to: number, header: string[] | null) => {
      const buf = Buffer.alloc(to - from);
      await fd.read(buf, 0, buf.length, from);
      const input = {
        fileId: batch.fileId,
        source: state.source,
        offset: from,
        header,
        final: to === batch.toOffset,
      };
      return { buf, chunk: prepareChunk(buf, input) };
    };
    if (chunk.recordCount === 0) {
      // Nothing left to blame: PostgreSQL refused the rejects or the checkpoint themselves.
      throw new Error(
        `PostgreSQL refused the rejects of ${state.path}, bytes ${batch.fromOffset}–${batch.toOffset} ` +
          `(no record left to blame): ${dbError}`,
      );
    }
    if (chunk.recordCount === 1) {
      const offset = chunk.recordOffsets[0];
      const only = await reread(batch.fromOffset, batch.toOffset, chunk.startHeader);
      const text = decodeText(only.buf, offset - batch.fromOffset, only.buf.length).replace(/\r?\n$/, '');
      const rejected: PreparedChunk = {
        ...only.chunk,
        recordCount: 0,
        recordOffsets: [],
        recordChunks: [],
        dims: [],
        minute: { bucket: [], dim: [], n: [] },
        hour: { bucket: [], dim: [], n: [] },
        slices: emptySlices(),
        insights: emptyInsights(),
        ips: { sourceIp: [], vmta: [], vmtaPool: [], n: [], firstSeen: [], lastSeen: [] },
        rejects: [...only.chunk.rejects, { offset, text, reason: `database refused the record: ${dbError}` }],
      };
      await this.write(state, await this.encode({ ...batch, chunk: rejected }));
      return;
    }
    const mid = chunk.recordOffsets[Math.floor(chunk.recordOffsets.length / 2)];
    const first = await reread(batch.fromOffset, mid, chunk.startHeader);
    const firstTail = await readRange(fd, mid - Math.min(TAIL_BYTES, mid), mid);
    await this.write(
      state,
      await this.encode({
        ...batch,
        toOffset: mid,
        chunk: first.chunk,
        fingerprint: undefined,
        tail: { bytes: firstTail, hash: sha1(firstTail) },
      }),
    );
    const second = await reread(mid, batch.toOffset, first.chunk.header);
    await this.write(state, await this.encode({ ...batch, fromOffset: mid, chunk: second.chunk }));
  }
}
