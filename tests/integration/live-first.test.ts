import { appendFileSync, mkdtempSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../db.ts';
import { followWorker, waitFor } from '../helpers.ts';

// A worker started on a folder of history reads the file PowerMTA is writing first, and gives it
// its turn while it reads the history: today's traffic does not wait for months of files.

const HEADER = 'type,timeLogged,rcpt,vmta\n';
const HISTORY_RECORDS = 300_000;

let db: TestDatabase;
let root: string;
let follower: ReturnType<typeof followWorker> | null = null;

beforeEach(async () => {
  db = await createTestDatabase();
  root = mkdtempSync(path.join(os.tmpdir(), 'acct-live-first-'));
});
afterEach(async () => {
  await follower?.stop();
  follower = null;
  await db.drop();
});

/** The checkpoint (bytes ingested) of each file, by name. */
async function offsets(): Promise<Record<string, number>> {
  const rows = await db.query<{ path: string; offset: string }>('SELECT path, "offset" FROM acct_file');
  return Object.fromEntries(rows.map((r) => [path.basename(r.path), Number(r.offset)]));
}

async function liveRecords(): Promise<number> {
  const [{ n }] = await db.query<{ n: string }>(
    "SELECT count(*) AS n FROM acct_record WHERE rcpt LIKE 'live%'",
  );
  return Number(n);
}

describe('live files and history', () => {
  it('reads the live file first, and again while a history file is read', async () => {
    // A day of history, last written an hour ago, found first by name…
    const history = path.join(root, 'acct-2026-02-01-0000.csv');
    const rows: string[] = [HEADER];
    for (let i = 0; i < HISTORY_RECORDS; i++)
      rows.push(
        `d,2026-02-01 ${String(Math.floor(i / 12_500)).padStart(2, '0')}:00:00+0000,h${i}@gmail.com,vmta1\n`,
      );
    writeFileSync(history, rows.join(''));
    const hourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(history, hourAgo, hourAgo);
    // …and today's file, being written.
    const live = path.join(root, 'acct-2026-02-02-0000.csv');
    writeFileSync(live, `${HEADER}d,2026-02-02 09:00:00+0000,live0@gmail.com,vmta1\n`);
    const historySize = statSync(history).size;

    // Small batches, so that the history takes many of them (seconds) to read.
    follower = followWorker(db.url, [root], {
      chunkBytes: 32 << 10,
      batchBytes: 32 << 10,
      shareAfterMs: 100,
    });
    await waitFor(liveRecords, (n) => n === 1);
    expect((await offsets())['acct-2026-02-01-0000.csv'] ?? 0).toBeLessThan(historySize);

    // Once the history is being read, a record appended to the live file is read before it ends.
    await waitFor(
      async () => (await offsets())['acct-2026-02-01-0000.csv'] ?? 0,
      (n) => n > 0,
    );
    appendFileSync(live, 'd,2026-02-02 09:00:05+0000,live1@gmail.com,vmta1\n');
    await waitFor(liveRecords, (n) => n === 2);
    expect((await offsets())['acct-2026-02-01-0000.csv']).toBeLessThan(historySize);

    // And the history is read to its end, every record once.
    await waitFor(
      async () => (await offsets())['acct-2026-02-01-0000.csv'],
      (n) => n === historySize,
      60_000,
    );
    const [{ n, distinct }] = await db.query<{ n: string; distinct: string }>(
      "SELECT count(*) AS n, count(DISTINCT rcpt) AS distinct FROM acct_record WHERE rcpt LIKE 'h%'",
    );
    expect([Number(n), Number(distinct)]).toEqual([HISTORY_RECORDS, HISTORY_RECORDS]);
    expect(await liveRecords()).toBe(2);
  }, 90_000);
});
