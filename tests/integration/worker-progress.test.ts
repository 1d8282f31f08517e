import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateFiles } from '../../ingest/demo/generator.ts';
import { getIngestStatus } from '../../lib/queries/get-ingest-status.ts';
import { createTestDatabase, type TestDatabase } from '../db.ts';
import { apiGet, followWorker, waitFor } from '../helpers.ts';

// Each worker writes, with its heartbeat, what it has committed since it started and its pace over
// the last minute; the ingest status gives each worker the unread bytes of its folders and how long
// they take at that pace.

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  process.env.DATABASE_URL = db.url;
});

afterAll(async () => {
  await db?.drop();
});

interface WorkerStatus {
  id: string;
  alive: boolean;
  records: number;
  rejects: number;
  recordsPerSec: number;
  bytesPerSec: number;
  lagBytes: number;
  etaSeconds: number | null;
}

const workers = async (): Promise<WorkerStatus[]> => (await apiGet('/api/v1/ingest/status')).body.workers;

describe('a worker in the ingest status', () => {
  it('reports the records it committed since it started, its pace, and the time its lag takes', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'acct-worker-progress-'));
    const generated = await generateFiles({ out: dir, records: 20_000, days: 2, seed: 11 });
    const started = Date.now();
    const worker = followWorker(db.url, [dir]);
    try {
      // The heartbeat after the last batch carries every record of the backfill.
      const [w] = await waitFor(workers, (ws) => ws[0]?.records === generated.records, 60_000);
      const elapsed = (Date.now() - started) / 1000;
      const [files] = await db.query<{ records: string; bytes: string }>(
        'SELECT sum(records) AS records, sum("offset") AS bytes FROM acct_file',
      );
      expect(Number(files.records)).toBe(generated.records);
      expect(w.alive).toBe(true);
      expect(w.rejects).toBe(0);
      // Its pace over the last minute is the backfill's: at least its records over the whole run
      // (the run is shorter than a minute), and bytes and records in the files' proportion.
      expect(w.recordsPerSec).toBeGreaterThanOrEqual(generated.records / elapsed);
      const bytesPerRecord = Number(files.bytes) / Number(files.records);
      expect(w.bytesPerSec / w.recordsPerSec).toBeGreaterThan(bytesPerRecord * 0.9);
      expect(w.bytesPerSec / w.recordsPerSec).toBeLessThan(bytesPerRecord * 1.1);
      expect(w.lagBytes).toBe(0);
      expect(w.etaSeconds).toBeNull();
    } finally {
      await worker.stop();
    }
    // Restarted on the same folder it finds its checkpoints and reads nothing: no pace, though the
    // files' offsets it starts from sum to every byte above.
    const restarted = followWorker(db.url, [dir]);
    try {
      // A heartbeat after the one at its start.
      await waitFor(
        () =>
          db.query<{ later: boolean }>(
            `SELECT heartbeat_at > started_at + interval '4 seconds' AS later FROM ingest_worker`,
          ),
        (rows) => rows[0]?.later === true,
        30_000,
      );
      const [again] = await workers();
      expect(again).toMatchObject({ records: 0, recordsPerSec: 0, bytesPerSec: 0, lagBytes: 0 });
    } finally {
      await restarted.stop();
    }

    // A worker reading 1,000 bytes a second with 6,000 bytes of its folders unread: 6 s left. Bytes
    // of another host's files are not its lag.
    await db.query(
      `INSERT INTO ingest_worker (id, host, pid, dirs, started_at, heartbeat_at, records, records_per_sec, bytes_per_sec)
       VALUES ('w1', 'mta1', 1, $1, now() - interval '1 hour', now(), 1234, 5.5, 1000)`,
      [JSON.stringify([{ source: 'test-host', pattern: dir }])],
    );
    await db.query(
      `UPDATE acct_file SET size = size + 6000 WHERE id = (SELECT min(id) FROM acct_file);
       INSERT INTO acct_file (source, path, dev, ino, status, "offset", size)
       VALUES ('mta2', '/var/log/pmta/acct-other.csv', '1', '2', 'active', 0, 50000)`,
    );
    const [eta] = await workers();
    expect(eta).toMatchObject({ id: 'w1', records: 1234, recordsPerSec: 5.5, lagBytes: 6000, etaSeconds: 6 });
    // Silent, or not reading: no time given.
    await db.query(`UPDATE ingest_worker SET bytes_per_sec = 0`);
    expect((await workers())[0]).toMatchObject({ lagBytes: 6000, etaSeconds: null });
    await db.query(
      `UPDATE ingest_worker SET bytes_per_sec = 1000, heartbeat_at = now() - interval '5 minutes'`,
    );
    expect((await workers())[0]).toMatchObject({ alive: false, etaSeconds: null });
  }, 120_000);

  it('lists, on the screen, the files with bytes left to read first, then the newest read; totals over all', async () => {
    // 500 files rotated away long ago (a sender moving its files every 5 minutes), one lagging.
    await db.query(
      `INSERT INTO acct_file (source, path, dev, ino, status, "offset", size, records, ingested_at, seen_at, last_record_at)
       SELECT 'mta3', '/var/log/pmta/old/acct-' || i || '.csv', '9', i::text, 'gone', 100, 100, 3,
              now() - i * interval '5 minutes', now() - i * interval '5 minutes', now() - i * interval '5 minutes'
         FROM generate_series(1, 500) i;
       INSERT INTO acct_file (source, path, dev, ino, status, "offset", size, records, ingested_at, seen_at)
       VALUES ('mta3', '/var/log/pmta/acct-lagging.csv', '9', '0', 'active', 10, 4000, 1, now() - interval '1 day', now())`,
    );
    const all = await getIngestStatus();
    const listed = await getIngestStatus({ fileLimit: 50 });
    expect(all.files.length).toBe(all.totals.files);
    expect(listed.files).toHaveLength(50);
    // The totals and each worker's lag are the same however many files are listed.
    expect(listed.totals).toEqual(all.totals);
    expect(listed.workers).toEqual(all.workers);
    const [sums] = await db.query<{ files: string; records: string; lag: string; gone: string }>(
      `SELECT count(*) AS files, sum(records) AS records, count(*) FILTER (WHERE status = 'gone') AS gone,
              sum(GREATEST(size - "offset", 0)) FILTER (WHERE status = 'active') AS lag FROM acct_file`,
    );
    expect(all.totals).toMatchObject({
      files: Number(sums.files),
      records: Number(sums.records),
      lagBytes: Number(sums.lag),
    });
    expect(all.totals.byStatus.gone).toBe(Number(sums.gone));
    // Bytes left to read first (this lagging file, and the two of the test above), then the newest
    // read; the gone files in the order they were read, newest first.
    expect(listed.files.slice(0, 3).map((f) => f.lagBytes)).toEqual(
      expect.arrayContaining([3990, 6000, 50000]),
    );
    expect(listed.files[3].lagBytes).toBe(0);
    const gone = listed.files.filter((f) => f.path.startsWith('/var/log/pmta/old/'));
    expect(gone.map((f) => f.path)).toEqual(
      Array.from({ length: gone.length }, (_, i) => `/var/log/pmta/old/acct-${i + 1}.csv`),
    );
    // The API lists every file, by source and path.
    const api = (await apiGet('/api/v1/ingest/status')).body;
    expect(api.files.length).toBe(all.totals.files);
    expect(api.files.map((f: { id: number }) => f.id)).toEqual(all.files.map((f) => f.id));
  });
});
