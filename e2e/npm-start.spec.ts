import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import pg from 'pg';
import { procInfo } from '../lib/parent-watch.ts';
import { ROOT } from '../scripts/build-if-needed.ts';

// `npm start` on Ctrl-C: the terminal signals its whole process group; npm start stops the web
// server and the worker, waits for the worker's last batch, then the database. It ran under tsx's
// CLI, which relays a signal to the script's process and kills it (SIGKILL) when that process has
// not answered within 30 ms: on a busy machine npm start died at once, its embedded database
// stopped under the worker, and the worker, its parent gone, retried its batch forever (QA).

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The processes of process group `pgid`, with their parent and command line. */
function groupProcesses(pgid: number): { pid: number; ppid: number; cmd: string }[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => {
      const info = procInfo(Number(name));
      return info?.pgrp === pgid ? [{ pid: Number(name), ppid: info.ppid, cmd: info.cmdline.join(' ') }] : [];
    });
}

test('npm start stops in order on Ctrl-C, even when its own process is slow to take the signal', async () => {
  test.setTimeout(120_000);
  const admin = new URL(process.env.E2E_DATABASE_URL ?? '');
  const name = `acctscope_e2e_start_${randomBytes(4).toString('hex')}`;
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`CREATE DATABASE "${name}"`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'acct-npm-start-'));
  const port = await freePort();
  const npm = spawn('npm', ['start'], {
    cwd: ROOT,
    detached: true, // a process group of its own, as a terminal gives it
    env: {
      ...process.env,
      DATABASE_URL: url.toString(),
      ACCT_DIRS: dir,
      PORT: String(port),
      HOST: '127.0.0.1',
      INCIDENTS: 'off',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  npm.stdout?.on('data', (d) => {
    output += String(d);
  });
  npm.stderr?.on('data', (d) => {
    output += String(d);
  });
  const exited = new Promise<void>((resolve) => npm.once('exit', () => resolve()));
  const pgid = npm.pid as number;
  try {
    await expect
      .poll(async () => (await fetch(`http://127.0.0.1:${port}/api/health`).catch(() => null))?.status, {
        timeout: 60_000,
      })
      .toBe(200);
    await expect.poll(() => output, { timeout: 20_000 }).toContain('ingest worker started');
    // npm start's own process: the one running scripts/start.ts with no such process below it.
    const group = groupProcesses(pgid);
    const starts = group.filter((p) => p.cmd.includes('scripts/start.ts'));
    const start = starts.find((p) => !starts.some((q) => q.ppid === p.pid));
    expect(start, JSON.stringify(group)).toBeDefined();
    const pid = (start as { pid: number }).pid;
    // Slow to take the signal: paused while the group gets Ctrl-C's SIGINT, then resumed.
    process.kill(pid, 'SIGSTOP');
    process.kill(-pgid, 'SIGINT');
    await new Promise((r) => setTimeout(r, 500));
    process.kill(pid, 'SIGCONT'); // throws ESRCH if it was killed meanwhile
    await Promise.race([exited, new Promise((r) => setTimeout(r, 30_000))]);
    await expect.poll(() => groupProcesses(pgid).length, { timeout: 20_000 }).toBe(0);
    expect(output).toContain('ingest worker stopped');
    expect(output).toContain('acctscope stopped');
    expect(output).not.toContain('"level":60');
    // Nothing of npm start is left connected, and the worker removed its row from the ingest
    // screen (it finished before its database went).
    const { rows } = await client.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1`,
      [name],
    );
    expect(rows[0].n).toBe(0);
    const own = new pg.Client({ connectionString: url.toString() });
    await own.connect();
    const workers = await own.query('SELECT count(*)::int AS n FROM ingest_worker').finally(() => own.end());
    expect(workers.rows[0].n).toBe(0);
  } finally {
    for (const p of groupProcesses(pgid)) process.kill(p.pid, 'SIGKILL');
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.end();
    rmSync(dir, { recursive: true, force: true });
  }
});
