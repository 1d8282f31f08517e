import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../../lib/db/embedded.ts';
import { migrate } from '../../lib/db/migrate.ts';
import { followWorker, freePort, waitFor } from '../helpers.ts';

// A database server of this test's own, so it can be stopped and started again under the worker.
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'acct-outage-pg-'));

afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a database outage', () => {
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
});
