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
  if (process.env.ACCTSCOPE_NO_DB === '1') {
    project.provide('adminDatabaseUrl', '');
    return;
  }
  if (process.env.DATABASE_URL) {
    project.provide('adminDatabaseUrl', process.env.DATABASE_URL);
    return;
  }
  const db = await startEmbeddedPostgres('.data/test-postgres', Number(process.env.TEST_PG_PORT ?? 54330));
  project.provide('adminDatabaseUrl', db.adminUrl);
  return () => db.stop();
}
