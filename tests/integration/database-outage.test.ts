import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { isUnreachable, openDatabase } from '../../lib/db/database.ts';
import { startEmbeddedPostgres } from '../../lib/db/embedded.ts';
import { migrate } from '../../lib/db/migrate.ts';
import { followWorker, freePort, waitFor } from '../helpers.ts';

// A database server of this test's own, so it can be stopped and started again under the worker.
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'acct-outage-pg-'));

afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a database outage', () => {
  it('at start: the worker and npm start wait for a server that is not up yet, then migrate', async () => {
    const port = await freePort();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'acct-late-'));
    const pgDir = mkdtempSync(path.join(os.tmpdir(), 'acct-late-pg-'));
    let server: Awaited<ReturnType<typeof startEmbeddedPostgres>> | null = null;
    try {
      // The URL the server will answer on (its data folder is not even initialised yet).
      const url = `postgres://postgres:acctscope@127.0.0.1:${port}/postgres`;
      const waits: string[] = [];
      const opening = openDatabase({
        databaseUrl: url,
        dataDir: dir,
        port,
        onUnreachable: (error) => waits.push((error as Error & { code?: string }).code ?? error.message),
      });
      await new Promise((r) => setTimeout(r, 1_500));
      expect(waits.length).toBeGreaterThan(0);
      expect(waits[0]).toBe('ECONNREFUSED');
      server = await startEmbeddedPostgres(pgDir, port);
      const db = await opening;
      expect(db.applied.length).toBeGreaterThan(0);
      // Without a waiter (db:migrate) the same error is thrown at once, and a wrong password is
      // never waited for.
      const closed = await freePort();
      await expect(
        openDatabase({ databaseUrl: `postgres://x@127.0.0.1:${closed}/x`, dataDir: dir, port: closed }),
      ).rejects.toSatisfy(isUnreachable);
      let waited = 0;
      await expect(
        openDatabase({
          databaseUrl: `postgres://postgres:wrong@127.0.0.1:${port}/postgres`,
          dataDir: dir,
          port,
          onUnreachable: () => waited++,
        }),
      ).rejects.toThrow(/password/);
      expect(waited).toBe(0);
    } finally {
      await server?.stop();
      rmSync(dir, { recursive: true, force: true });
      rmSync(pgDir, { recursive: true, force: true });
    }
  }, 120_000);

  it('loses nothing: the worker retries until PostgreSQL is back, then catches up', async () => {
    const port = await freePort();
    let server = await startEmbeddedPostgres(dataDir, port);
    const url = server.adminUrl;
    await migrate(url);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'acct-outage-'));
    const file = path.join(dir, 'acct-2026-05-01-0000.csv');
    const line = (i: number) =>
      `d,2026-05-01 10:00:${String(i % 60).padStart(2, '0')}+0000,u${i}@gmail.com,vmta1\n`;
    writeFileSync(file, `type,timeLogged,rcpt,vmta\n${line(0)}${line(1)}`);
    const count = async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        return Number((await c.query('SELECT count(*) AS n FROM acct_record')).rows[0].n);
      } finally {
        await c.end();
      }
    };
    const follower = followWorker(url, [dir]);
    try {
      await waitFor(count, (n) => n === 2);
      await server.stop();
      appendFileSync(file, line(2) + line(3) + line(4));
      await new Promise((r) => setTimeout(r, 1500)); // the worker sees the lines, fails, retries
      server = await startEmbeddedPostgres(dataDir, port);
      await waitFor(count, (n) => n === 5, 30_000);
      await new Promise((r) => setTimeout(r, 300));
      expect(await count()).toBe(5);
    } finally {
      await follower.stop();
      await server.stop();
    }
  });

  it('a following worker asked to stop while the database is gone stops; the next start counts the rest', async () => {
    const port = await freePort();
    let server = await startEmbeddedPostgres(dataDir, port);
    const url = server.adminUrl;
    await migrate(url);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'acct-outage-stop-'));
    const file = path.join(dir, 'acct-2026-05-02-0000.csv');
    const line = (i: number) =>
      `d,2026-05-02 10:00:${String(i).padStart(2, '0')}+0000,u${i}@gmail.com,vmta1\n`;
    writeFileSync(file, `type,timeLogged,rcpt,vmta\n${line(0)}`);
    const count = async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        // This server's data folder holds the other tests' records too.
        const day = `SELECT count(*) AS n FROM acct_record WHERE time_logged >= '2026-05-02' AND time_logged < '2026-05-03'`;
        return Number((await c.query(day)).rows[0].n);
      } finally {
        await c.end();
      }
    };
    const first = followWorker(url, [dir]);
    try {
      await waitFor(count, (n) => n === 1);
      await server.stop();
      appendFileSync(file, line(1) + line(2));
      await new Promise((r) => setTimeout(r, 1500)); // the worker sees the lines, fails, retries
      // It retried its batch forever once stopped (npm start gone, Ctrl-C not obeyed).
      const stopped = await Promise.race([
        first.stop().then(() => 'stopped'),
        new Promise((r) => setTimeout(() => r('still retrying'), 15_000)),
      ]);
      expect(stopped).toBe('stopped');
    } finally {
      server = await startEmbeddedPostgres(dataDir, port);
    }
    const second = followWorker(url, [dir]);
    try {
      await waitFor(count, (n) => n === 3, 30_000);
      await new Promise((r) => setTimeout(r, 300));
      expect(await count()).toBe(3);
    } finally {
      await second.stop();
      await server.stop();
    }
  }, 90_000);

  it('stops at once a server that is already gone (npm start waited for it forever on Ctrl-C)', async () => {
    const port = await freePort();
    const server = await startEmbeddedPostgres(dataDir, port);
    const pid = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    process.kill(pid, 'SIGINT'); // stopped by hand, as pg_ctl stop does
    await waitFor(
      async () => {
        try {
          process.kill(pid, 0);
          return false;
        } catch {
          return true;
        }
      },
      (gone) => gone,
      20_000,
    );
    const stopped = await Promise.race([
      server.stop().then(() => 'stopped'),
      new Promise((r) => setTimeout(() => r('still waiting'), 5_000)),
    ]);
    expect(stopped).toBe('stopped');
  }, 60_000);
});
