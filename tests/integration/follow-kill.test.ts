import type { ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnWorker } from '../../scripts/build-worker.ts';
import { createTestDatabase, type TestDatabase } from '../db.ts';
import { apiGet, exited, waitFor } from '../helpers.ts';

let db: TestDatabase;
let root: string;

beforeAll(async () => {
  db = await createTestDatabase();
  process.env.DATABASE_URL = db.url;
  root = mkdtempSync(path.join(os.tmpdir(), 'acct-follow-kill-'));
});
afterAll(async () => {
  await db?.drop();
  rmSync(root, { recursive: true, force: true });
});

const HEADER = 'type,timeLogged,rcpt,vmta,dlvSourceIp,dlvEsmtpAvailable,dsnDiag\n';
const OTHER_HEADER = 'type,rcpt,timeLogged,dsnDiag,vmta\n';
/** What was written, per source and type: the expectation. */
const written: Record<string, Record<string, number>> = {};
let seq = 0;
function rows(source: string, type: string, n: number, day = '2026-07-01', other = false): string {
  written[source] ??= {};
  written[source][type] = (written[source][type] ?? 0) + n;
  let out = '';
  for (let i = 0; i < n; i++) {
    seq++;
    const t = `${day} ${String(seq % 24).padStart(2, '0')}:${String(seq % 60).padStart(2, '0')}:00+0000`;
    out += other
      ? `${type},k${seq}@yahoo.com,${t},"smtp;421 later, ""${seq}""",vmta9\n`
      : `${type},${t},k${seq}@gmail.com,vmta1,203.0.113.1,"PIPELINING,SIZE","smtp;250 ok\n${seq}"\n`;
  }
  return out;
}

function startWorker(): ChildProcess {
  return spawnWorker(
    [
      '--dir',
      `mta1=${path.join(root, 'live')}`,
      '--dir',
      `mta1=${path.join(root, 'done')}`,
      '--dir',
      `mta2=${path.join(root, 'b')}`,
    ],
    { env: { DATABASE_URL: db.url, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
}

async function rawCount(): Promise<number> {
  const [{ n }] = await db.query<{ n: string }>('SELECT count(*) AS n FROM acct_record');
  return Number(n);
}

async function killAfterProgress(child: ChildProcess, above: number): Promise<number> {
  const done = exited(child);
  await waitFor(rawCount, (n) => n > above, 60_000);
  child.kill('SIGKILL');
  await done;
  return rawCount();
}

describe('a following worker killed while files rotate, move and grow', () => {
  it('counts every record once per source', async () => {
    for (const d of ['live', 'done', 'b']) mkdirSync(path.join(root, d));
    const liveA = path.join(root, 'live', 'acct-2026-07-01-0000.csv');
    const doneA = path.join(root, 'done', 'acct-2026-07-01-0000.csv');
    const fileB = path.join(root, 'b', 'acct-2026-07-01-0000.csv');
    writeFileSync(liveA, HEADER + rows('mta1', 'd', 20_000));
    writeFileSync(fileB, HEADER + rows('mta2', 'b', 15_000));
    writeFileSync(
      path.join(root, 'live', 'acct-2020-01-01-0000.csv'),
      HEADER + rows('mta1', 'd', 500, '2020-01-01'),
    );

    let n = await killAfterProgress(startWorker(), 0);
    // While it is down: PowerMTA appends (the last line still partial), moves the file to done,
    // starts a new one, and the other host's pipe restarts with other columns.
    const partial = rows('mta1', 't', 1);
    appendFileSync(liveA, rows('mta1', 'd', 3000) + partial.slice(0, 30));
    renameSync(liveA, doneA);
    writeFileSync(path.join(root, 'live', 'acct-2026-07-01-0001.csv'), HEADER + rows('mta1', 'b', 4000));
    appendFileSync(
      fileB,
      rows('mta2', 'd', 2000) + OTHER_HEADER + rows('mta2', 't', 6000, '2026-07-01', true),
    );

    n = await killAfterProgress(startWorker(), n);
    appendFileSync(doneA, partial.slice(30) + rows('mta1', 'd', 2000));
    appendFileSync(fileB, rows('mta2', 'b', 3000, '2026-07-01', true));
    n = await killAfterProgress(startWorker(), n);

    const last = startWorker();
    const total = Object.values(written).reduce((s, m) => s + Object.values(m).reduce((a, b) => a + b, 0), 0);
    await waitFor(rawCount, (c) => c >= total, 60_000);
    await new Promise((r) => setTimeout(r, 1500));
    last.kill('SIGTERM');
    await exited(last);

    expect(await rawCount()).toBe(total);
    const [{ distinct }] = await db.query<{ distinct: string }>(
      'SELECT count(DISTINCT rcpt) AS distinct FROM acct_record',
    );
    expect(Number(distinct)).toBe(total);
    expect(await db.query('SELECT text, reason FROM acct_reject')).toEqual([]);
    const got: Record<string, Record<string, number>> = {};
    for (const day of ['2020-01-01', '2026-07-01']) {
      const { body } = await apiGet(
        `/api/v1/stats/breakdown?by=source&from=${day}T00:00:00Z&to=${day}T23:59:59Z`,
      );
      for (const r of body.rows as { key: string; counts: Record<string, number> }[]) {
        got[r.key] ??= {};
        for (const [k, v] of Object.entries(r.counts)) got[r.key][k] = (got[r.key][k] ?? 0) + v;
      }
    }
    for (const [source, byType] of Object.entries(written)) {
      expect(got[source].delivered, source).toBe(byType.d ?? 0);
      expect(got[source].bounced, source).toBe(byType.b ?? 0);
      expect(got[source].deferred, source).toBe(byType.t ?? 0);
    }
    const diag = await db.query<{ dsn_diag: string }>(
      `SELECT dsn_diag FROM acct_record WHERE source = 'mta2' AND type = 't' LIMIT 1`,
    );
    expect(diag[0].dsn_diag).toMatch(/^smtp;421 later, "\d+"$/);
  }, 240_000);
});
