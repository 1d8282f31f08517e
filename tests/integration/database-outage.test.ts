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

/**
 * This file's server started on a free port and migrated, and a new folder for one accounting file
 * of `day`: `line(i)` is its i-th delivery, `count()` how many records of `day` are stored (the
 * server's data folder holds the other tests' records too).
 */
async function outageWorld(day: string) {
  const port = await freePort();
  const server = await startEmbeddedPostgres(dataDir, port);
  await migrate(server.adminUrl);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'acct-outage-'));
  const file = path.join(dir, `acct-${day}-0000.csv`);
  const line = (i: number) =>
    `d,${day} 10:00:${String(i % 60).padStart(2, '0')}+0000,u${i}@gmail.com,vmta1\n`;
  const count = async () => {
    const c = new pg.Client({ connectionString: server.adminUrl });
    await c.connect();
    try {
      const { rows } = await c.query(
        `SELECT count(*) AS n FROM acct_record WHERE time_logged >= $1::date AND time_logged < $1::date + 1`,
        [day],
      );
      return Number(rows[0].n);
    } finally {
      await c.end();
    }
  };
  return { port, server, url: server.adminUrl, dir, file, line, count };
}

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
    const { port, url, dir, file, line, count, ...world } = await outageWorld('2026-05-01');
    let { server } = world;
    writeFileSync(file, `type,timeLogged,rcpt,vmta\n${line(0)}${line(1)}`);
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
    const { port, url, dir, file, line, count, ...world } = await outageWorld('2026-05-02');
    let { server } = world;
    writeFileSync(file, `type,timeLogged,rcpt,vmta\n${line(0)}`);
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

  it('a following worker asked to stop before it could register (no database yet) stops without an error', async () => {
    const closed = await freePort(); // nothing listens there
    const dir = mkdtempSync(path.join(os.tmpdir(), 'acct-outage-register-'));
    const worker = followWorker(`postgres://postgres@127.0.0.1:${closed}/acctscope`, [dir]);
    await new Promise((r) => setTimeout(r, 600)); // its registration fails and is retried
    const stopped = await Promise.race([
      worker.stop().then(
        () => 'stopped',
        (error: unknown) => `failed: ${String(error)}`,
      ),
      new Promise((r) => setTimeout(() => r('still retrying'), 15_000)),
    ]);
    expect(stopped).toBe('stopped');
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

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
