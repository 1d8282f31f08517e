import { randomBytes } from 'node:crypto';
import {
  appendFileSync,
  closeSync,
  ftruncateSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  renameSync,
  rmSync,
  utimesSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PartitionKeeper } from '../../ingest/partitions.ts';
import { getRejects } from '../../lib/queries/get-rejects.ts';
import { createTestDatabase, type TestDatabase } from '../db.ts';
import { ingestOnce } from '../helpers.ts';

// The ingest screen's and the status API's total of rejects is the files' counters
// (acct_file.rejects), not a count(*) over acct_reject on every refresh. That holds only if each
// counter equals its file's reject rows in every way rejects are written: the writer adds a batch's
// rejects to its file's counter in the transaction that inserts them; nothing deletes a reject or
// a file (the raw retention drops record partitions only); a reject cannot outlive its file row
// (foreign key). This drives the real worker through every kind of reject and every file history.

const HEADER = 'type,timeLogged,rcpt,vmta,jobId,dsnDiag';
const MAX_RECORD = 16_384;
let seq = 0;
const row = (rcpt: string, more: { type?: string; job?: string; diag?: string } = {}) => {
  seq++;
  return `${more.type ?? 'd'},2026-05-01 10:${String(seq % 60).padStart(2, '0')}:00+0000,${rcpt},vmta1,${more.job ?? 'job1'},${more.diag ?? 'ok'}`;
};
/** Good records and every kind of reject the worker writes, `tag` in each recipient. */
function mixed(tag: string): string[] {
  return [
    row(`${tag}-ok1@gmail.com`),
    row(`${tag}-type@gmail.com`, { type: 'x' }), // unknown record type (parser)
    row(`${tag}-nul@gmail.com`).replace('ok', 'o\0k'), // NUL in the line
    row(`a@${'d'.repeat(300)}.com`), // a key over its limit (prepare)
    row(`${tag}-job@gmail.com`, { job: 'j'.repeat(3000) }),
    row(`${tag}-long@gmail.com`, { diag: 'L'.repeat(2 * MAX_RECORD) }), // over the record limit
    // Refused by PostgreSQL (the test-only index below): found by splitting the batch.
    row(`${tag}-refused@gmail.com`, { diag: randomBytes(6000).toString('base64') }),
    row(`${tag}-ok2@gmail.com`),
  ];
}
const finished = (file: string) => {
  const aMinuteAgo = new Date(Date.now() - 60_000);
  utimesSync(file, aMinuteAgo, aMinuteAgo);
};

let db: TestDatabase;
let root: string;
const ingest = (dirs: string[]) =>
  ingestOnce(db.url, dirs, { chunkBytes: 1024, batchBytes: 4096, maxRecordBytes: MAX_RECORD });

/** Each file's counter next to its reject rows, and the totals. */
async function tally() {
  const files = await db.query<{ id: number; status: string; counter: string; rows: string }>(
    `SELECT f.id, f.status, f.rejects AS counter, (SELECT count(*) FROM acct_reject r WHERE r.file_id = f.id) AS rows
       FROM acct_file f ORDER BY f.id`,
  );
  const [{ all, orphans }] = await db.query<{ all: string; orphans: string }>(
    `SELECT count(*) AS all, count(*) FILTER (WHERE f.id IS NULL) AS orphans
       FROM acct_reject r LEFT JOIN acct_file f ON f.id = r.file_id`,
  );
  return {
    files: files.map((f) => ({
      id: f.id,
      status: f.status,
      counter: Number(f.counter),
      rows: Number(f.rows),
    })),
    all: Number(all),
    orphans: Number(orphans),
  };
}

/** Every file's counter equals its rows, and the totals getRejects serves equal count(*). */
async function expectCountersMatch() {
  const t = await tally();
  for (const f of t.files) expect(f).toEqual({ ...f, counter: f.rows });
  expect(t.orphans).toBe(0);
  expect((await getRejects({ limit: 1 })).totalRejects).toBe(t.all);
  for (const source of ['mta1', 'mta2']) {
    const [{ n }] = await db.query<{ n: string }>(
      'SELECT count(*) AS n FROM acct_reject r JOIN acct_file f ON f.id = r.file_id WHERE f.source = $1',
      [source],
    );
    expect({ source, total: (await getRejects({ limit: 1, source })).totalRejects }).toEqual({
      source,
      total: Number(n),
    });
  }
  for (const f of t.files) {
    expect((await getRejects({ limit: 1, fileId: f.id })).totalRejects).toBe(f.rows);
  }
  return t;
}

beforeAll(async () => {
  db = await createTestDatabase('hb_reject_counters');
  process.env.DATABASE_URL = db.url;
  root = mkdtempSync(path.join(os.tmpdir(), 'acct-reject-counters-'));
  // An index the schema does not have: a diagnostic of ~8 KB of random text cannot be one entry.
  await db.query('CREATE INDEX test_only_diag_idx ON acct_record (dsn_diag)');
});
afterAll(async () => {
  await db?.drop();
  delete process.env.DATABASE_URL;
  rmSync(root, { recursive: true, force: true });
});

describe("the files' reject counters", () => {
  it('equal the reject rows through rewrites, rotation, reruns, retention, and a reject cannot lose its file', async () => {
    const [one, two] = ['mta1', 'mta2'].map((name) => path.join(root, name));
    for (const dir of [one, two]) mkdirSync(dir);
    const a = path.join(one, 'acct-2026-05-01-0000.csv');
    const b = path.join(two, 'acct-2026-05-01-0000.csv');
    writeFileSync(a, `${[HEADER, ...mixed('a1'), ...mixed('a2')].join('\n')}\n`);
    writeFileSync(b, `${[HEADER, ...mixed('b1')].join('\n')}\n`);
    finished(a);
    finished(b);
    const dirs = [`mta1=${one}`, `mta2=${two}`];
    await ingest(dirs);
    const first = await expectCountersMatch();
    // Every kind was rejected: 6 a line, 3 batches of them.
    expect(first.all).toBe(18);
    expect(
      (await db.query<{ reason: string }>('SELECT DISTINCT reason FROM acct_reject')).some((r) =>
        r.reason.startsWith('database refused the record'),
      ),
    ).toBe(true);

    // Read again: nothing is added twice.
    await ingest(dirs);
    expect((await expectCountersMatch()).all).toBe(18);

    // Rewritten in place (same inode): the old file row keeps its rejects, the new content is a new file.
    const fd = openSync(a, 'r+');
    ftruncateSync(fd, 0);
    writeSync(fd, `${[HEADER, ...mixed('a3')].join('\n')}\n`, 0);
    closeSync(fd);
    finished(a);
    // Rotated: renamed, then written to under its new name; a new file takes the old name.
    renameSync(b, path.join(two, 'acct-2026-05-01-0001.csv'));
    appendFileSync(path.join(two, 'acct-2026-05-01-0001.csv'), `${mixed('b2').join('\n')}\n`);
    finished(path.join(two, 'acct-2026-05-01-0001.csv'));
    writeFileSync(b, `${[HEADER, ...mixed('b3')].join('\n')}\n`);
    finished(b);
    await ingest(dirs);
    const later = await expectCountersMatch();
    expect(later.all).toBe(36);
    expect(later.files.map((f) => f.status)).toContain('replaced');

    // The raw retention drops the records' partitions; the rejects and their counters stay.
    const pool = new pg.Pool({ connectionString: db.url, max: 1 });
    try {
      expect(await new PartitionKeeper().dropOlderThan(pool, 1, 0)).not.toEqual([]);
    } finally {
      await pool.end();
    }
    expect(await expectCountersMatch()).toEqual(later);

    // A file row cannot go while it has rejects: no reject is ever counted by no file.
    const withRejects = later.files.find((f) => f.rows > 0);
    await expect(db.query('DELETE FROM acct_file WHERE id = $1', [withRejects?.id])).rejects.toMatchObject({
      code: '23503',
    });
  });
});
