import { getPrisma } from '../db/client.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { WORKER_SILENT_AFTER_MS } from '../ingest-workers.ts';

export interface IngestFileStatus {
  id: number;
  source: string;
  path: string;
  status: string;
  offset: number;
  size: number;
  lagBytes: number;
  /** Seconds between now and the newest record ingested from the file (null before any). */
  lagSeconds: number | null;
  records: number;
  rejects: number;
  /** The earliest record read from the file (null before any, or read before it was recorded). */
  firstRecordAt: string | null;
  lastRecordAt: string | null;
  ingestedAt: string | null;
  seenAt: string;
}

const num = (v: bigint | number) => Number(v);

/** Files as the status lists them: those with bytes left to read first, then the newest read. */
const FILE_ORDER = Prisma.sql`("status" = 'active' AND "size" > "offset") DESC,
  COALESCE("ingested_at", "seen_at") DESC, "id" DESC`;

interface FileRow {
  id: number;
  source: string;
  path: string;
  status: string;
  offset: bigint;
  size: bigint;
  records: bigint;
  rejects: bigint;
  first_record_at: Date | null;
  last_record_at: Date | null;
  ingested_at: Date | null;
  seen_at: Date;
}

/**
 * Followed folders and the files with their checkpoint and lag (the rejects: getRejects). Every
 * file, in the API; `fileLimit` lists only that many, those with bytes left to read first, then
 * the newest read (a sender rotating its files every 5 minutes has 100,000 of them after a year),
 * and says in `totals` how many there are by status. Totals and each worker's lag are over every file.
 */
export async function getIngestStatus(opts: { now?: Date; fileLimit?: number } = {}) {
  const prisma = getPrisma();
  const now = opts.now ?? new Date();
  const limit = opts.fileLimit === undefined ? Prisma.empty : Prisma.sql`LIMIT ${opts.fileLimit}`;
  const [workers, files, bySource] = await Promise.all([
    prisma.ingestWorker.findMany({ orderBy: { startedAt: 'asc' } }),
    prisma.$queryRaw<FileRow[]>`
      SELECT id, source, path, status, "offset", size, records, rejects, first_record_at, last_record_at,
             ingested_at, seen_at
        FROM acct_file
       ORDER BY ${opts.fileLimit === undefined ? Prisma.sql`source, path, id` : FILE_ORDER} ${limit}`,
    // Per source and status: the totals and each worker's lag, over every file however many are listed.
    prisma.$queryRaw<
      { source: string; status: string; files: bigint; records: bigint; lag: bigint; last: Date | null }[]
    >`SELECT source, status, count(*) AS files, sum(records)::bigint AS records,
             sum(GREATEST(size - "offset", 0))::bigint AS lag, max(last_record_at) AS last
        FROM acct_file GROUP BY source, status ORDER BY status, source`,
  ]);
  const fileRows: IngestFileStatus[] = files.map((f) => ({
    id: f.id,
    source: f.source,
    path: f.path,
    status: f.status,
    offset: num(f.offset),
    size: num(f.size),
    lagBytes: Math.max(0, num(f.size) - num(f.offset)),
    lagSeconds: f.last_record_at ? Math.max(0, (now.getTime() - f.last_record_at.getTime()) / 1000) : null,
    records: num(f.records),
    rejects: num(f.rejects),
    firstRecordAt: f.first_record_at?.toISOString() ?? null,
    lastRecordAt: f.last_record_at?.toISOString() ?? null,
    ingestedAt: f.ingested_at?.toISOString() ?? null,
    seenAt: f.seen_at.toISOString(),
  }));
  const activeLag = new Map<string, number>();
  const byStatus: Record<string, number> = {};
  let lastRecordAt: Date | null = null;
  for (const g of bySource) {
    if (g.status === 'active') activeLag.set(g.source, (activeLag.get(g.source) ?? 0) + num(g.lag));
    byStatus[g.status] = (byStatus[g.status] ?? 0) + num(g.files);
    if (g.last && (!lastRecordAt || g.last > lastRecordAt)) lastRecordAt = g.last;
  }
  return {
    now: now.toISOString(),
    workers: workers.map((w) => {
      const sources = new Set((w.dirs as { source?: string }[]).map((d) => d.source ?? ''));
      const lagBytes = [...sources].reduce((sum, source) => sum + (activeLag.get(source) ?? 0), 0);
      const alive = now.getTime() - w.heartbeatAt.getTime() < WORKER_SILENT_AFTER_MS;
      return {
        id: w.id,
        host: w.host,
        pid: w.pid,
        dirs: w.dirs,
        startedAt: w.startedAt.toISOString(),
        heartbeatAt: w.heartbeatAt.toISOString(),
        alive,
        /** Committed since the worker started, as of its last heartbeat. */
        records: num(w.records),
        rejects: num(w.rejects),
        /** Its pace over the minute before its last heartbeat. */
        recordsPerSec: w.recordsPerSec,
        bytesPerSec: w.bytesPerSec,
        /** Unread bytes of the active files of its sources. */
        lagBytes,
        /** How long those take at its pace: null when nothing is left, it is silent or not reading. */
        etaSeconds: lagBytes > 0 && alive && w.bytesPerSec > 0 ? lagBytes / w.bytesPerSec : null,
      };
    }),
    files: fileRows,
    totals: {
      files: Object.values(byStatus).reduce((a, b) => a + b, 0),
      /** Files by status (active, gone, replaced). */
      byStatus,
      records: bySource.reduce((sum, g) => sum + num(g.records), 0),
      lagBytes: [...activeLag.values()].reduce((a, b) => a + b, 0),
      lastRecordAt: lastRecordAt?.toISOString() ?? null,
    },
  };
}

/** A file's host and path (the records explorer names its `fileId` filter by them); null if unknown. */
export async function getFileName(id: number): Promise<{ source: string; path: string } | null> {
  return getPrisma().acctFile.findUnique({ where: { id }, select: { source: true, path: true } });
}
