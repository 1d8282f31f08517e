import type { ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnWorker } from '../../scripts/build-worker.ts';
import { createTestDatabase, type TestDatabase } from '../db.ts';
import { exited, waitFor } from '../helpers.ts';

// The real limit (64 MiB) in the bundled worker, killed (SIGKILL) while a line over it is being
// written and right after its reject landed: every record counts once, the line is one reject,
// and the worker never holds the line (its peak RSS stays far below the line's 400 MiB).

const MiB = 1 << 20;
const HEADER = 'type,timeLogged,rcpt,vmta\n';
let seq = 0;
function records(n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) {
    seq++;
    out += `d,2026-06-02 ${String(seq % 24).padStart(2, '0')}:00:00+0000,k${seq}@gmail.com,vmta1\n`;
  }
  return out;
}

let db: TestDatabase;
let dir: string;
beforeAll(async () => {
  db = await createTestDatabase();
  process.env.DATABASE_URL = db.url;
  dir = mkdtempSync(path.join(os.tmpdir(), 'acct-long-line-kill-'));
});
afterAll(async () => {
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});

function startWorker(): ChildProcess {
  return spawnWorker(['--dir', `mta1=${dir}`], {
    env: { DATABASE_URL: db.url, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}
async function kill(child: ChildProcess): Promise<void> {
  const done = exited(child);
  child.kill('SIGKILL');
  await done;
}
/** The process's peak resident set (VmHWM), in MiB. */
function peakRssMiB(child: ChildProcess): number {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1]) / 1024;
}
const count = async () =>
  Number((await db.query<{ n: string }>('SELECT count(DISTINCT rcpt) AS n FROM acct_record'))[0].n);
const rejects = () =>
  db.query<{ byte_offset: string; text: string; reason: string }>(
    'SELECT byte_offset, text, reason FROM acct_reject ORDER BY id',
  );
const offset = async () =>
  Number((await db.query<{ offset: string }>('SELECT "offset" FROM acct_file'))[0].offset);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a 400 MiB line in a followed file, the worker killed around it', () => {
  it('is one reject, the records after it count once, and the worker never holds it', async () => {
    const file = path.join(dir, 'acct-2026-06-02-0000.csv');
    writeFileSync(file, HEADER + records(2000));
    let worker = startWorker();
    await waitFor(count, (n) => n === 2000, 60_000);
    const longAt = statSync(file).size;
    const head = 'd,2026-06-02 01:00:00+0000,long@gmail.com,vmta1,';
    appendFileSync(file, head);
    const piece = Buffer.alloc(16 * MiB, 'x');
    // Past the limit while the worker looks on, then killed; the rest is written while it is down.
    const peakRecords = peakRssMiB(worker);
    for (let i = 0; i < 5; i++) {
      appendFileSync(file, piece);
      await sleep(200);
    }
    await sleep(1500);
    await kill(worker);
    expect(await rejects()).toEqual([]);
    expect(await offset()).toBe(longAt);
    for (let i = 0; i < 20; i++) appendFileSync(file, piece);

    worker = startWorker();
    await sleep(4000); // found over the limit again, scanned to the end: waits for its line break
    expect(await rejects()).toEqual([]);
    expect(await offset()).toBe(longAt);
    const peakWaiting = peakRssMiB(worker);
    appendFileSync(file, `\n${records(2000)}`);
    const lineBytes = head.length + 25 * 16 * MiB + 1;
    await waitFor(
      async () => (await rejects()).length,
      (n) => n === 1,
      60_000,
    );
    const peak = peakRssMiB(worker);
    await kill(worker); // right after the reject landed
    worker = startWorker();
    await waitFor(count, (n) => n === 4000, 60_000);
    await waitFor(offset, (o) => o === statSync(file).size, 60_000);
    await sleep(1000);
    const done = exited(worker);
    worker.kill('SIGTERM');
    await done;

    const got = await rejects();
    expect(got).toHaveLength(1);
    expect(Number(got[0].byte_offset)).toBe(longAt);
    expect(got[0].text).toBe(`${head}${'x'.repeat(1024 - head.length)}`);
    expect(got[0].reason).toBe(
      `line longer than 64 MiB (the limit of one record): ${lineBytes} bytes up to its line break, not ` +
        'read; reading resumes after it; the text is its first 1024 bytes',
    );
    const [file0] = await db.query<{ records: string; rejects: string }>(
      'SELECT records, rejects FROM acct_file',
    );
    expect(file0).toEqual({ records: '4000', rejects: '1' });
    const [{ n }] = await db.query<{ n: string }>('SELECT count(*) AS n FROM acct_record');
    expect(Number(n)).toBe(4000);
    // The line is 400 MiB: the worker scans it for its line break a MiB at a time, and its peak
    // stays that of a worker reading records (~100 MiB; a worker holding the line would pass 400).
    console.log(
      `peak RSS: ${peakRecords.toFixed(0)} MiB (2,000 records), ${peakWaiting.toFixed(0)} MiB ` +
        `(restarted, the line waiting), ${peak.toFixed(0)} MiB (its reject written)`,
    );
    expect(peak).toBeLessThan(peakRecords + 50);
  }, 240_000);
});
