import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { getPrisma } from '../db/client.ts';

export interface Health {
  ok: boolean;
  database: 'up' | 'down';
  /** Migrations this app has that the database has not applied (the schema is behind). */
  pendingMigrations?: string[];
  error?: string;
}

let expected: Promise<string[] | null> | null = null;

/**
 * The migrations this app was built with (prisma/migrations under the folder it runs in, as
 * `next start` and `npm start` do); null when that folder cannot be read, and nothing is compared.
 */
function expectedMigrations(): Promise<string[] | null> {
  expected ??= readdir(path.join(process.cwd(), 'prisma', 'migrations'), { withFileTypes: true })
    .then((entries) => entries.filter((e) => e.isDirectory()).map((e) => e.name))
    .catch(() => null);
  return expected;
}

/**
 * Whether the app can answer: the database answers within `timeoutMs` and has every migration the
 * app needs (a database never migrated, or one the worker has not upgraded yet, answered SELECT 1
 * while every API answered 500).
 */
export async function getHealth(timeoutMs = 2000): Promise<Health> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const applied = await Promise.race([
      getPrisma().$queryRaw<{ name: string }[]>`
        SELECT migration_name AS name FROM "_prisma_migrations"
         WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`.catch((error) => {
        // 42P01: no migrations table, a database never migrated.
        if (String((error as { code?: string; message?: string }).message).includes('42P01')) return [];
        throw error;
      }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    const wanted = await expectedMigrations();
    const have = new Set(applied.map((r) => r.name));
    const pending = (wanted ?? []).filter((name) => !have.has(name)).sort();
    if (pending.length > 0) {
      return {
        ok: false,
        database: 'up',
        pendingMigrations: pending,
        error: `the database lacks ${pending.length} of this app's migrations: run npm run db:migrate (a worker or npm start applies them too)`,
      };
    }
    return { ok: true, database: 'up' };
  } catch (error) {
    return { ok: false, database: 'down', error: oneLine((error as Error).message) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The reason of a failed query in one line: Prisma's message spans several ("Invalid
 * `prisma.$queryRaw()` invocation: … Message: `Can't reach database server at …`").
 */
export function oneLine(message: string): string {
  const quoted = /Message: `([^`]*)`/.exec(message);
  if (quoted) return quoted[1];
  const lines = message
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.at(-1) ?? message;
}
