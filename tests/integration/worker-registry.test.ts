import { spawn } from 'node:child_process';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../db.ts';
import { apiGet, copyFixtures, followWorker, ingestOnce } from '../helpers.ts';

// Workers that stop without deregistering (SIGKILL, a crash, their embedded database shut down by
// the same Ctrl-C) leave their ingest_worker row. A restarted worker replaces its own silent
// predecessor; rows silent for a week go; everything else stays on the ingest screen.

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  process.env.DATABASE_URL = db.url;
});

afterAll(async () => {
  await db?.drop();
});

async function workerIds(): Promise<string[]> {
  const rows = await db.query('SELECT id FROM ingest_worker ORDER BY id');
  return rows.map((r) => r.id as string);
}

describe('ingest worker rows', () => {
  it('are replaced when the same worker restarts, dropped after a week of silence, kept otherwise', async () => {
    const dir = copyFixtures('acct-registry-');
    // The row a worker following `dir` writes on this host (its folders as it records them).
    const first = followWorker(db.url, [dir]);
    let dirs: unknown;
    for (let i = 0; i < 200 && dirs === undefined; i++) {
      const rows = await db.query('SELECT dirs FROM ingest_worker');
      dirs = rows[0]?.dirs;
      if (dirs === undefined) await new Promise((r) => setTimeout(r, 25));
    }
    await first.stop();
    expect(dirs).toBeDefined();
    expect(await workerIds()).toEqual([]); // deregistered on a clean stop

    const insert = (id: string, host: string, folders: unknown, silentFor: string, pid = 1) =>
      db.query(
        `INSERT INTO ingest_worker (id, host, pid, dirs, started_at, heartbeat_at)
         VALUES ($1, $2, $5, $3, now() - interval '30 days', now() - $4::interval)`,
        [id, host, JSON.stringify(folders), silentFor, pid],
      );
    // A predecessor killed a moment ago (npm start killed and started again): its process is gone.
    const gone = spawn('true');
    await new Promise((r) => gone.once('exit', r));
    await insert('f-killed-just-now', os.hostname(), dirs, '2 seconds', gone.pid);
    await insert('a-killed-predecessor', os.hostname(), dirs, '1 minute');
    await insert('b-live-sibling', os.hostname(), dirs, '0 seconds');
    await insert('c-other-host-silent', 'mta2', dirs, '1 minute');
    await insert(
      'd-other-folders-silent',
      os.hostname(),
      [{ source: 'x', pattern: '/elsewhere' }],
      '1 minute',
    );
    await insert('e-silent-for-a-week', 'mta3', dirs, '8 days');

    await ingestOnce(db.url, [dir]);
    expect(await workerIds()).toEqual(['b-live-sibling', 'c-other-host-silent', 'd-other-folders-silent']);
    const { body } = await apiGet('/api/v1/ingest/status');
    expect(body.workers.map((w: { id: string; alive: boolean }) => [w.id, w.alive])).toEqual([
      ['b-live-sibling', true],
      ['c-other-host-silent', false],
      ['d-other-folders-silent', false],
    ]);
  });
});
