import { getPrisma } from '../db/client.ts';
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
  lastRecordAt: string | null;
  ingestedAt: string | null;
  seenAt: string;
}

const num = (v: bigint | number) => Number(v);

/** Followed folders and every file with its checkpoint and lag (the rejects: getRejects). */
export async function getIngestStatus(opts: { now?: Date } = {}) {
  const prisma = getPrisma();
  const now = opts.now ?? new Date();
  const [workers, files] = await Promise.all([
    prisma.ingestWorker.findMany({ orderBy: { startedAt: 'asc' } }),
    prisma.acctFile.findMany({ orderBy: [{ source: 'asc' }, { path: 'asc' }, { id: 'asc' }] }),
  ]);
  const fileRows: IngestFileStatus[] = files.map((f) => ({
    id: f.id,
    source: f.source,
    path: f.path,
    status: f.status,
    offset: num(f.offset),
    size: num(f.size),
    lagBytes: Math.max(0, num(f.size) - num(f.offset)),
    lagSeconds: f.lastRecordAt ? Math.max(0, (now.getTime() - f.lastRecordAt.getTime()) / 1000) : null,
    records: num(f.records),
    rejects: num(f.rejects),
    lastRecordAt: f.lastRecordAt?.toISOString() ?? null,
    ingestedAt: f.ingestedAt?.toISOString() ?? null,
    seenAt: f.seenAt.toISOString(),
  }));
  const lastRecordAt = fileRows.reduce<string | null>(
    (max, f) => (f.lastRecordAt && (!max || f.lastRecordAt > max) ? f.lastRecordAt : max),
    null,
  );
  return {
    now: now.toISOString(),
    workers: workers.map((w) => {
      const sources = new Set((w.dirs as { source?: string }[]).map((d) => d.source));
      const lagBytes = fileRows
        .filter((f) => f.status === 'active' && sources.has(f.source))
        .reduce((s, f) => s + f.lagBytes, 0);
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
      files: fileRows.length,
      records: fileRows.reduce((s, f) => s + f.records, 0),
      lagBytes: fileRows.filter((f) => f.status === 'active').reduce((s, f) => s + f.lagBytes, 0),
      lastRecordAt,
    },
  };
}
