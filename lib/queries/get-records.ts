import { RECORD_TYPES, type RecordType } from '../acct/types.ts';
import { getPrisma } from '../db/client.ts';
import { type Filters, ParamError } from '../filters.ts';
import { Prisma } from '../generated/prisma/client.ts';

export interface RecordQuery {
  filters: Filters;
  types: RecordType[];
  /** An exact recipient address (contains @) or a recipient domain. */
  rcpt?: string;
  /** Free text searched in the diagnostic (dsnDiag), case-insensitive. */
  q?: string;
  limit: number;
  cursor?: string;
}

interface Cursor {
  t: string;
  f: number;
  o: string;
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.t, c.f, c.o])).toString('base64url');
}

export function decodeCursor(value: string): Cursor {
  try {
    const [t, f, o] = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    if (typeof t !== 'string' || Number.isNaN(Date.parse(t)) || !Number.isInteger(f) || !/^\d+$/.test(o)) {
      throw new Error('bad shape');
    }
    return { t, f, o };
  } catch {
    throw new ParamError('cursor is not one this API returned', 'cursor');
  }
}

export function parseRecordTypes(values: string[]): RecordType[] {
  const types = values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim().toLowerCase())
    .filter(Boolean);
  for (const t of types) {
    if (!(RECORD_TYPES as readonly string[]).includes(t)) {
      throw new ParamError(`type must be one of ${RECORD_TYPES.join(', ')}, got '${t}'`, 'type');
    }
  }
  return types as RecordType[];
}

type Row = {
  time_logged: Date;
  file_id: number;
  byte_offset: bigint;
  path: string | null;
  [column: string]: unknown;
};

const text = (col: string, values: string[]) =>
  Prisma.sql`COALESCE(${Prisma.raw(col)}, '') = ANY(${values}::text[])`;

/**
 * The records behind any count: the same filters as the stats (complaints match a VirtualMTA or
 * pool through their sending IP, exactly as the stats attribute them), newest first, keyset
 * pagination on (time_logged, file_id, byte_offset) — the record's identity.
 */
export async function getRecords(query: RecordQuery) {
  const { filters: f } = query;
  const where: Prisma.Sql[] = [Prisma.sql`r.time_logged >= ${f.from} AND r.time_logged < ${f.to}`];
  if (query.types.length) where.push(Prisma.sql`r.type = ANY(${query.types}::text[])`);
  if (f.domain.length) where.push(Prisma.sql`r.rcpt_domain = ANY(${f.domain}::text[])`);
  if (f.provider.length) where.push(Prisma.sql`r.provider = ANY(${f.provider}::text[])`);
  if (f.sourceIp.length) where.push(text('r.dlv_source_ip', f.sourceIp));
  if (f.job.length) where.push(text('r.job_id', f.job));
  if (f.bounceCategory.length) where.push(text('r.bounce_cat', f.bounceCategory));
  if (f.source.length) where.push(Prisma.sql`r.source = ANY(${f.source}::text[])`);
  for (const [values, column] of [
    [f.vmta, 'vmta'],
    [f.pool, 'vmta_pool'],
  ] as const) {
    if (!values.length) continue;
    const col = Prisma.raw(column);
    where.push(Prisma.sql`(CASE WHEN r.type = 'f'
      THEN r.dlv_source_ip IN (SELECT source_ip FROM (
             SELECT DISTINCT ON (source_ip) source_ip, vmta, vmta_pool FROM vmta_ip
              ORDER BY source_ip, n DESC, vmta, vmta_pool) m WHERE m.${col} = ANY(${values}::text[]))
      ELSE COALESCE(r.${col}, '') = ANY(${values}::text[]) END)`);
  }
  if (query.rcpt) {
    const r = query.rcpt.trim();
    where.push(
      r.includes('@')
        ? Prisma.sql`lower(r.rcpt) = lower(${r})`
        : Prisma.sql`r.rcpt_domain = ${r.toLowerCase()}`,
    );
  }
  if (query.q) {
    const like = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(Prisma.sql`r.dsn_diag ILIKE ${like}`);
  }
  if (query.cursor) {
    const c = decodeCursor(query.cursor);
    where.push(
      Prisma.sql`(r.time_logged, r.file_id, r.byte_offset) < (${new Date(c.t)}, ${c.f}, ${BigInt(c.o)})`,
    );
  }
  const rows = await getPrisma().$queryRaw<Row[]>(Prisma.sql`
    SELECT r.*, a.path FROM acct_record r LEFT JOIN acct_file a ON a.id = r.file_id
     WHERE ${Prisma.join(where, ' AND ')}
     ORDER BY r.time_logged DESC, r.file_id DESC, r.byte_offset DESC
     LIMIT ${query.limit + 1}`);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    records: page.map(shapeRecord),
    nextCursor:
      rows.length > query.limit && last
        ? encodeCursor({ t: last.time_logged.toISOString(), f: last.file_id, o: String(last.byte_offset) })
        : null,
  };
}

const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

function shapeRecord(row: Row) {
  const out: Record<string, unknown> = {
    id: `${row.file_id}:${row.byte_offset}`,
    file: { id: row.file_id, path: row.path, offset: Number(row.byte_offset) },
  };
  for (const [key, value] of Object.entries(row)) {
    if (key === 'path' || key === 'file_id' || key === 'byte_offset') continue;
    out[camel(key)] = value instanceof Date ? value.toISOString() : value;
  }
  return out;
}
