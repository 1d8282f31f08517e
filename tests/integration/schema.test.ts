import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../db.ts';

interface PrismaField {
  column: string;
  type: string;
  optional: boolean;
  list: boolean;
}
interface PrismaModel {
  table: string;
  fields: PrismaField[];
  id: string[];
}

const SCALARS = new Set(['String', 'Int', 'BigInt', 'DateTime', 'Json', 'Boolean', 'Float', 'Decimal']);

/** Reads the models of schema.prisma: table, scalar columns (with @map) and primary key. */
function readPrismaModels(schema: string): PrismaModel[] {
  const models: PrismaModel[] = [];
  for (const m of schema.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)) {
    const body = m[2];
    const table = body.match(/@@map\("([^"]+)"\)/)?.[1] ?? m[1];
    const fields: PrismaField[] = [];
    const byName = new Map<string, string>();
    let id: string[] = [];
    for (const raw of body.split('\n')) {
      const line = raw.trim();
      const f = line.match(/^(\w+)\s+(\w+)(\[\])?(\?)?(.*)$/);
      if (!f || line.startsWith('@@') || !SCALARS.has(f[2])) continue;
      const column = f[5].match(/@map\("([^"]+)"\)/)?.[1] ?? f[1];
      byName.set(f[1], column);
      fields.push({ column, type: f[2], list: Boolean(f[3]), optional: Boolean(f[4]) });
      if (/@id\b/.test(f[5])) id = [column];
    }
    const compound = body.match(/@@id\(\[([^\]]+)\]\)/);
    if (compound) id = compound[1].split(',').map((n) => byName.get(n.trim()) ?? n.trim());
    models.push({ table, fields, id });
  }
  return models;
}

const PG_TYPES: Record<string, string> = {
  String: 'text',
  Int: 'integer',
  BigInt: 'bigint',
  DateTime: 'timestamp with time zone',
  Json: 'jsonb',
  Float: 'double precision',
  Boolean: 'boolean',
};

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

describe('schema.prisma and the migrated database', () => {
  const models = readPrismaModels(
    readFileSync(path.resolve(import.meta.dirname, '../../prisma/schema.prisma'), 'utf8'),
  );

  it('describes every table of the database, and only those', async () => {
    const tables = await db.query<{ table_name: string }>(
      `SELECT c.relname AS table_name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
          AND c.relname <> '_prisma_migrations'`,
    );
    expect(models.map((m) => m.table).sort()).toEqual(tables.map((t) => t.table_name).sort());
  });

  it('has the same columns, types, nullability and primary keys', async () => {
    for (const model of models) {
      const cols = await db.query<{
        column_name: string;
        data_type: string;
        udt_name: string;
        is_nullable: string;
      }>(
        `SELECT column_name, data_type, udt_name, is_nullable FROM information_schema.columns
          WHERE table_schema = 'public' AND table_name = $1`,
        [model.table],
      );
      const actual = Object.fromEntries(
        cols.map((c) => [
          c.column_name,
          `${c.data_type === 'ARRAY' ? `${c.udt_name.replace(/^_/, '')}[]` : c.data_type}${c.is_nullable === 'YES' ? '?' : ''}`,
        ]),
      );
      const expected = Object.fromEntries(
        model.fields.map((f) => {
          const base = PG_TYPES[f.type];
          // Prisma lists are never NULL in Prisma's eyes, but Postgres arrays may be: accept both.
          const type = f.list ? `${base}[]` : base;
          return [f.column, `${type}${f.optional || (f.list && actual[f.column]?.endsWith('?')) ? '?' : ''}`];
        }),
      );
      expect({ table: model.table, columns: actual }).toEqual({ table: model.table, columns: expected });
      const pk = await db.query<{ attname: string }>(
        `SELECT a.attname FROM pg_index i
           JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
          WHERE i.indrelid = $1::regclass AND i.indisprimary
            AND array_position(i.indkey, a.attnum) < i.indnkeyatts -- key columns (int2vector: from 0), not INCLUDE ones
          ORDER BY array_position(i.indkey, a.attnum)`,
        [model.table],
      );
      expect({ table: model.table, pk: pk.map((p) => p.attname) }).toEqual({
        table: model.table,
        pk: model.id,
      });
    }
  });

  it('records the migrations in _prisma_migrations like Prisma Migrate', async () => {
    const rows = await db.query<{
      migration_name: string;
      finished_at: Date | null;
      applied_steps_count: number;
    }>('SELECT migration_name, finished_at, applied_steps_count FROM _prisma_migrations');
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(r.finished_at).toBeInstanceOf(Date);
      expect(r.applied_steps_count).toBe(1);
    }
  });
});

describe('the tables a batch writes, keyed for distribution by file (docs/scaling.md)', () => {
  it('keys every raw and rollup table by file: each of their unique indexes holds file_id', async () => {
    // A batch's transaction writes one file's raw rows, rollup rows and checkpoint: distributed by
    // file (Citus requires the distribution column in every unique key), it stays on one shard.
    const indexes = await db.query<{ table: string; index: string; columns: string[] }>(
      `SELECT c.relname AS table, ic.relname AS index,
              array_agg(a.attname ORDER BY array_position(i.indkey, a.attnum)) AS columns
         FROM pg_index i
         JOIN pg_class c ON c.oid = i.indrelid
         JOIN pg_class ic ON ic.oid = i.indexrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace
         JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
        WHERE n.nspname = 'public' AND i.indisunique AND NOT c.relispartition
          AND (c.relname = 'acct_record' OR c.relname LIKE 'rollup\\_%')
        GROUP BY c.relname, ic.relname`,
    );
    const tables = await db.query<{ relname: string }>(
      `SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
          AND (relname = 'acct_record' OR relname LIKE 'rollup\\_%')`,
    );
    // Every such table has a unique key (the one its writes conflict on), and each holds file_id.
    expect(new Set(indexes.map((i) => i.table))).toEqual(new Set(tables.map((t) => t.relname)));
    expect(tables.length).toBeGreaterThanOrEqual(9);
    const withoutFile = indexes.filter((i) => !i.columns.includes('file_id'));
    expect(withoutFile).toEqual([]);
  });
});
