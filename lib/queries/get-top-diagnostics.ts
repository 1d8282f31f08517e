import type { Counts } from '../acct/types.ts';
import { getPrisma } from '../db/client.ts';
import { SLICE_KIND } from '../db/slice-kinds.ts';
import { type Filters, ParamError } from '../filters.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { dimConditions, RAW_VMTA } from './count-query.ts';
import { addCount, emptyCounts, totalOf } from './counts.ts';
import { getReasons } from './get-reasons.ts';
import { checkInsightFilters } from './insight-query.ts';
import { getRawKeptFrom } from './query-counts.ts';
import { type RawReader, rawFilterConditions, readRawRows } from './raw-filters.ts';

/** Record types whose diagnostic explains a failure or a delay. */
export const DIAGNOSED_TYPES = ['b', 't', 'tq', 'rb'] as const;

export interface DiagnosticRow {
  /** The diagnostic's template key (acct_record.diag_key; '' for records without a diagnostic). */
  key: string;
  /** The template: the diagnostic with its varying parts (ids, addresses, IPs, times) masked. */
  template: string;
  /**
   * One diagnostic text under this template, as PowerMTA wrote it: one of the slice's records, or
   * where getReasons cannot give one (raw records not kept, past its lookup bounds) the template's
   * first (of any slice).
   */
  sample: string;
  /** Whose line `sample` is: one of the slice's records ('slice'), or the template's first of any ('any'). */
  sampleOf: 'slice' | 'any';
  counts: Counts;
  total: number;
  firstSeen: string;
  lastSeen: string;
}

/**
 * The most frequent diagnostics of bounces and deferrals in a slice, grouped by their template
 * (the key the ingest writes with each record, as on the reasons screen): Gmail and Microsoft put a
 * message id in every diagnostic, so grouped by exact text the panel listed ten copies of one
 * deferral, each counted once. Exact counts per record type.
 *
 * Read from the insight rollups (getReasons) when the slice is one they carry (provider, domain,
 * VirtualMTA and pool filters, whole-minute bounds): an aggregate over raw rows grows with the
 * traffic (a day of a large sender's gmail.com is millions of rows) and ends where raw rows are no
 * longer kept. First and last seen are then the start of their first and last rollup bucket (a
 * minute; an hour on ranges over a day). Other slices (a sending IP, a job, a bounce category, a
 * source host) are counted exactly as the raw records of the window give them, first and last seen
 * to the millisecond (topDiagnosticsFromRaw), counted from `from`: the window's start, or where raw
 * records are kept when the window starts before. A sending IP's long windows are read mostly from
 * the rollups there (topDiagnosticsByHour), the same numbers.
 */
export async function getTopDiagnostics(
  filters: Filters,
  limit: number,
): Promise<{ rows: DiagnosticRow[]; from: Date; totalRows: number }> {
  try {
    checkInsightFilters(filters);
  } catch (error) {
    if (error instanceof ParamError) return topDiagnosticsFromRaw(filters, limit);
    throw error;
  }
  const { rows, totalRows } = await getReasons(filters, { limit });
  return {
    from: filters.from,
    totalRows,
    rows: rows.map((r) => ({
      key: r.key,
      template: r.template,
      sample: r.sample,
      sampleOf: r.sampleOf,
      counts: { ...emptyCounts(), ...r.counts },
      total: r.total,
      firstSeen: r.firstSeen,
      lastSeen: r.lastSeen,
    })),
  };
}

/** A (template key, record type) group of a slice's diagnosed records. */
interface GroupRow {
  /** How many keys the slice has in all, the listed and the others (the same on each row). */
  keys: number;
  key: string;
  type: string;
  n: bigint;
  first: Date;
  last: Date;
  sample: string | null;
  template: string | null;
}

/**
 * getTopDiagnostics from the raw records of the window, in one snapshot with a provider's domains
 * (see readRawRows); first and last seen to the second. Raw records older than the retention
 * (RAW_RETENTION_DAYS) are gone: the counts then start where they are kept, and `from` says where
 * (a job's page over a window reaching before it counted 39 deferrals of a reason that had 71,
 * beside rollup counts of the whole window, and said nothing, QA).
 */
async function topDiagnosticsFromRaw(window: Filters, limit: number) {
  const keptFrom = await getRawKeptFrom();
  // A window wholly before the records kept counts none of them, from where they are kept.
  if (keptFrom >= window.to.getTime()) return { rows: [], from: new Date(keptFrom), totalRows: 0 };
  const filters = window.from.getTime() < keptFrom ? { ...window, from: new Date(keptFrom) } : window;
  // A sending IP's page: most of the window from the insight rollups (see topDiagnosticsByHour).
  const split = filters.sourceIp.length > 0 ? await topDiagnosticsByHour(filters, limit) : null;
  if (split) return { rows: split.rows, from: filters.from, totalRows: split.totalRows };
  const rows = await readRawRows(filters, async (db) => {
    const where = await rawFilterConditions(filters, db);
    where.push(Prisma.sql`r.type = ANY(${[...DIAGNOSED_TYPES]}::text[])`);
    return db.$queryRaw<GroupRow[]>(
      Prisma.sql`
    WITH g AS (
      SELECT COALESCE(r.diag_key, '') AS key, r.type, count(*)::int8 AS n,
             min(r.time_logged) AS first, max(r.time_logged) AS last, max(r.dsn_diag) AS sample
        FROM acct_record r WHERE ${Prisma.join(where, ' AND ')}
       GROUP BY 1, 2),
    t AS (SELECT key, sum(n)::int8 AS total FROM g GROUP BY key ORDER BY total DESC, key LIMIT ${limit})
    SELECT g.*, d.template, (SELECT count(DISTINCT key) FROM g)::int AS keys
      FROM g JOIN t USING (key) LEFT JOIN diag_template d ON d.key = g.key
     ORDER BY t.total DESC, g.key`,
    );
  });
  const byKey = new Map<string, DiagnosticRow>();
  for (const r of rows) {
    let row = byKey.get(r.key);
    if (!row) {
      // Every record under a key has a diagnostic (the ingest keys only those), so any of the
      // key's groups gives a sample; records without one are key '' and have none.
      const sample = r.sample ?? '';
      row = {
        key: r.key,
        template: r.template ?? sample,
        sample,
        sampleOf: 'slice',
        counts: emptyCounts(),
        total: 0,
        firstSeen: '',
        lastSeen: '',
      };
      byKey.set(r.key, row);
    }
    addCount(row.counts, r.type, r.n);
    const first = r.first.toISOString();
    const last = r.last.toISOString();
    if (!row.firstSeen || first < row.firstSeen) row.firstSeen = first;
    if (last > row.lastSeen) row.lastSeen = last;
  }
  const out = [...byKey.values()];
  for (const row of out) row.total = totalOf(row.counts);
  return { rows: out, from: filters.from, totalRows: rows[0]?.keys ?? 0 };
}

const HOUR = 3_600_000;
/**
 * Past this many (hour, cell) pairs shared with other tuples, topDiagnosticsByHour gives up: each
 * is a raw read of one domain's hour, and one scan of the window then costs less.
 */
const MAX_SHARED_CELLS = 500;
/**
 * Below this many records in the window's whole hours, topDiagnosticsByHour is not tried: its
 * reads of the dictionaries cost about as much as scanning that many raw rows (bench:detail-pages
 * on 2M records over 30 days: a sending IP's page at 24 h, ~67,000 records, took 0.5 s scanned and
 * 1.0 s split; at 7 days, ~470,000, 0.9 s scanned and 0.6 s split).
 */
const MIN_SPLIT_RECORDS = 250_000;

interface SplitRow extends GroupRow {
  /** From raw rows (first and last to the millisecond), or from insight hour rows (hour starts). */
  exact: boolean;
  /** The insight rows' sum over every key (the same on each row). */
  fromRollups: bigint;
}

/** A cell of one whole hour: an insight tuple without its template (and queue). */
interface HourCell {
  bucket: Date | null;
  type: string | null;
  provider: string | null;
  rcpt_domain: string | null;
  vmta: string | null;
  vmta_pool: string | null;
  /** On the one row without a bucket: the slice's diagnosed records in the star rollups' unshared cells. */
  n: bigint | null;
}

/**
 * topDiagnosticsFromRaw's rows without scanning every raw row of the window, exactly. A "cell" is
 * an insight tuple without its template: (type, provider, domain, VirtualMTA, pool), a coarsening
 * of acct_dim's tuples (the ingest keys both by sendingVmta). A sending IP is bound to its
 * VirtualMTAs, so in nearly every hour no other IP has records in its cells: where, in a whole UTC
 * hour, no acct_dim tuple of the slice's cells but the slice's own has diagnosed records in the
 * star hour rollups, every record that cell counts in the insight hour rollups is the slice's, and
 * its templates are read from there. A cell shared in an hour (a queue deferral from 0.0.0.0 under
 * the same VirtualMTA) is read from that hour's raw rows of its domain, as are the window's
 * partial edge hours. First and last seen come from raw rows too: where a template's first or last
 * record is in a rollup hour, that hour's raw rows are looked up, and that lookup's line is the
 * sample of a template with no raw rows read. One REPEATABLE READ snapshot, so the rollups and the
 * raw rows are the same records; the star rollups' count of the slice's diagnosed records in its
 * unshared cells is checked against the insight rows' (records ingested before the insight rollups
 * have none). Null when that check fails, when the window has no whole hour, below
 * `minRecords` (MIN_SPLIT_RECORDS; tests give 0) or past MAX_SHARED_CELLS: the caller then scans
 * the window. `f` starts where raw records are kept (topDiagnosticsFromRaw).
 */
export async function topDiagnosticsByHour(
  f: Filters,
  limit: number,
  minRecords = MIN_SPLIT_RECORDS,
): Promise<{ rows: DiagnosticRow[]; totalRows: number } | null> {
  const from = f.from.getTime();
  const to = f.to.getTime();
  const h0 = Math.ceil(from / HOUR) * HOUR;
  const h1 = Math.floor(to / HOUR) * HOUR;
  if (h1 <= h0) return null;
  const [start, end] = [new Date(h0), new Date(h1)];
  const [{ records }] = await getPrisma().$queryRaw<{ records: bigint }[]>`
    SELECT COALESCE(sum(n), 0)::int8 AS records FROM rollup_slice_hour
     WHERE kind = ${SLICE_KIND.all} AND bucket >= ${start} AND bucket < ${end}`;
  if (records < minRecords) return null;
  const types = [...DIAGNOSED_TYPES];
  const cell = Prisma.raw('type, provider, rcpt_domain, vmta, vmta_pool');
  const mine = Prisma.sql`SELECT id, ${cell} FROM acct_dim d
     WHERE ${Prisma.join([Prisma.sql`d.type = ANY(${types}::text[])`, ...dimConditions(f)], ' AND ')}`;
  return getPrisma().$transaction(
    async (tx) => {
      // The (hour, cell) pairs where another tuple of the slice's cells has diagnosed records, and
      // the slice's count in every other pair.
      const pairs = await tx.$queryRaw<HourCell[]>`
        WITH mine AS MATERIALIZED (${mine}),
        others AS (SELECT d.id, ${cell} FROM acct_dim d
          WHERE (${cell}) IN (SELECT ${cell} FROM mine) AND d.id NOT IN (SELECT id FROM mine)),
        p AS (
          SELECT h.bucket, ${cell}, sum(h.n) FILTER (WHERE NOT o.other) AS n, bool_or(o.other) AS shared
            FROM (SELECT *, false AS other FROM mine UNION ALL SELECT *, true FROM others) o
            JOIN rollup_hour h ON h.dim_id = o.id
           WHERE h.bucket >= ${start} AND h.bucket < ${end}
           GROUP BY h.bucket, ${cell})
        SELECT bucket, ${cell}, NULL::int8 AS n FROM p WHERE shared
        UNION ALL
        SELECT NULL, NULL, NULL, NULL, NULL, NULL, COALESCE(sum(n), 0)::int8 FROM p WHERE NOT shared`;
      const shared = pairs.filter((p) => p.bucket !== null);
      if (shared.length > MAX_SHARED_CELLS) return null;
      const starTotal = pairs.find((p) => p.bucket === null)?.n ?? 0n;
      const column = <K extends keyof HourCell>(k: K) => shared.map((p) => p[k]);
      const sharedCells = Prisma.sql`SELECT * FROM unnest(
          ${column('bucket').map((b) => b?.toISOString())}::timestamptz[], ${column('type')}::text[],
          ${column('provider')}::text[], ${column('rcpt_domain')}::text[], ${column('vmta')}::text[],
          ${column('vmta_pool')}::text[]) AS s(bucket, ${cell})`;
      const where = await rawFilterConditions(f, tx);
      where.push(Prisma.sql`r.type = ANY(${types}::text[])`);
      const raw = (extra: Prisma.Sql) => Prisma.sql`SELECT r.diag_key, r.type, r.time_logged, r.dsn_diag
          FROM acct_record r WHERE ${Prisma.join(where, ' AND ')} AND ${extra}`;
      const edges = [...(from < h0 ? [[from, h0]] : []), ...(h1 < to ? [[h1, to]] : [])].map(([a, b]) =>
        raw(Prisma.sql`r.time_logged >= ${new Date(a)} AND r.time_logged < ${new Date(b)}`),
      );
      // A shared cell's hour: its domain's raw rows of that hour (rcpt_domain, time_logged index),
      // those of the cell kept.
      const sharedRows = Prisma.sql`SELECT r.* FROM (${sharedCells}) s CROSS JOIN LATERAL (${raw(Prisma.sql`
          r.rcpt_domain = s.rcpt_domain AND r.time_logged >= s.bucket AND r.time_logged < s.bucket + interval '1 hour'
          AND r.type = s.type AND r.provider = s.provider AND COALESCE(${RAW_VMTA('r.')}, '') = s.vmta
          AND COALESCE(r.vmta_pool, '') = s.vmta_pool`)}) r`;
      const rows = await tx.$queryRaw<SplitRow[]>`
        WITH cells AS (SELECT DISTINCT ${cell} FROM (${mine}) m),
        g AS (
          SELECT i.value AS key, i.type, sum(h.n)::int8 AS n, min(h.bucket) AS first, max(h.bucket) AS last,
                 NULL::text AS sample, false AS exact
            FROM cells c
            JOIN insight_dim i ON i.kind = 'reason' AND i.type = c.type AND i.provider = c.provider
             AND i.rcpt_domain = c.rcpt_domain AND i.vmta = c.vmta AND i.vmta_pool = c.vmta_pool
            JOIN rollup_insight_hour h ON h.dim_id = i.id
           WHERE h.bucket >= ${start} AND h.bucket < ${end}
             AND NOT EXISTS (SELECT 1 FROM (${sharedCells}) s WHERE s.bucket = h.bucket AND s.type = c.type
               AND s.provider = c.provider AND s.rcpt_domain = c.rcpt_domain AND s.vmta = c.vmta
               AND s.vmta_pool = c.vmta_pool)
           GROUP BY 1, 2
          UNION ALL
          SELECT COALESCE(r.diag_key, ''), r.type, count(*)::int8, min(r.time_logged), max(r.time_logged),
                 max(r.dsn_diag), true
            FROM (${Prisma.join([sharedRows, ...edges], ' UNION ALL ')}) r
           GROUP BY 1, 2),
        t AS (SELECT key, sum(n)::int8 AS total FROM g GROUP BY key ORDER BY total DESC, key LIMIT ${limit})
        SELECT g.*, d.template, (SELECT COALESCE(sum(n), 0)::int8 FROM g WHERE NOT g.exact) AS "fromRollups",
               (SELECT count(DISTINCT key) FROM g)::int AS keys
          FROM g JOIN t USING (key) LEFT JOIN diag_template d ON d.key = g.key
         ORDER BY t.total DESC, g.key`;
      if ((rows[0]?.fromRollups ?? 0n) !== starTotal) return null;
      const seen = await exactSeen(tx, rows, where);
      return seen && { rows: seen, totalRows: rows[0]?.keys ?? 0 };
    },
    { isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead, timeout: 300_000 },
  );
}

/**
 * The rows of topDiagnosticsByHour's split, with first and last seen to the millisecond: a
 * template's first or last record in a rollup hour is looked up in that hour's raw rows (`where`:
 * the slice's diagnosed records). Null if a lookup finds none (rollups and raw rows disagree).
 */
async function exactSeen(
  tx: RawReader,
  rows: SplitRow[],
  where: Prisma.Sql[],
): Promise<DiagnosticRow[] | null> {
  interface Seen {
    row: DiagnosticRow;
    first?: number;
    last?: number;
    firstHour?: number;
    lastHour?: number;
    sample?: string;
    template: string | null;
  }
  const byKey = new Map<string, Seen>();
  for (const r of rows) {
    let seen = byKey.get(r.key);
    if (!seen) {
      seen = {
        row: {
          key: r.key,
          template: '',
          sample: '',
          sampleOf: 'slice',
          counts: emptyCounts(),
          total: 0,
          firstSeen: '',
          lastSeen: '',
        },
        template: r.template,
      };
      byKey.set(r.key, seen);
    }
    addCount(seen.row.counts, r.type, r.n);
    const first = r.first.getTime();
    const last = r.last.getTime();
    if (r.exact) {
      // As topDiagnosticsFromRaw: the line of any of the key's groups ('' for key '').
      seen.sample ??= r.sample ?? '';
      seen.first = Math.min(seen.first ?? first, first);
      seen.last = Math.max(seen.last ?? last, last);
    } else {
      seen.firstHour = Math.min(seen.firstHour ?? first, first);
      seen.lastHour = Math.max(seen.lastHour ?? last, last);
    }
  }
  const all = [...byKey.values()];
  // Raw hours and rollup hours are disjoint: a raw first before the first rollup hour is the first
  // (and a raw last after the last rollup hour the last); otherwise that hour holds it.
  // One read per hour and direction: the frequent templates share their first and last hours.
  const lookups = new Map<string, { last: boolean; hour: number; keys: Map<string, Seen> }>();
  const lookUp = (seen: Seen, last: boolean, hour: number) => {
    const id = `${last}${hour}`;
    const l = lookups.get(id) ?? { last, hour, keys: new Map() };
    l.keys.set(seen.row.key, seen);
    lookups.set(id, l);
  };
  for (const seen of all) {
    if (seen.firstHour !== undefined && (seen.first === undefined || seen.first > seen.firstHour)) {
      lookUp(seen, false, seen.firstHour);
    }
    if (seen.lastHour !== undefined && (seen.last === undefined || seen.last < seen.lastHour)) {
      lookUp(seen, true, seen.lastHour);
    }
  }
  const reads = [...lookups.values()];
  if (reads.length > 0) {
    const found = await tx.$queryRaw<{ i: number; key: string; at: Date; line: string | null }[]>(
      Prisma.join(
        reads.map((l, i) => {
          const dir = Prisma.raw(l.last ? 'DESC' : 'ASC');
          return Prisma.sql`(SELECT DISTINCT ON (1) COALESCE(r.diag_key, '') AS key, ${i}::int AS i,
               r.time_logged AS at, r.dsn_diag AS line FROM acct_record r
             WHERE ${Prisma.join(where, ' AND ')} AND COALESCE(r.diag_key, '') = ANY(${[...l.keys.keys()]}::text[])
               AND r.time_logged >= ${new Date(l.hour)} AND r.time_logged < ${new Date(l.hour + HOUR)}
             ORDER BY 1, r.time_logged ${dir}, r.file_id ${dir}, r.byte_offset ${dir})`;
        }),
        ' UNION ALL ',
      ),
    );
    if (found.length !== reads.reduce((n, l) => n + l.keys.size, 0)) return null;
    for (const { i, key, at, line } of found) {
      const { last, keys } = reads[i];
      const seen = keys.get(key);
      if (!seen) return null;
      const t = at.getTime();
      if (last) {
        seen.last = Math.max(seen.last ?? t, t);
        // The latest record's line, for a template none of whose raw rows were read.
        seen.sample ??= line ?? '';
      } else {
        seen.first = Math.min(seen.first ?? t, t);
      }
    }
  }
  return all.map(({ row, first, last, sample, template }) => {
    if (first === undefined || last === undefined) throw new Error(`no first or last seen for ${row.key}`);
    row.sample = sample ?? '';
    row.template = template ?? row.sample;
    row.total = totalOf(row.counts);
    row.firstSeen = new Date(first).toISOString();
    row.lastSeen = new Date(last).toISOString();
    return row;
  });
}
