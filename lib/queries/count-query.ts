import { MINUTE_SLICE_KINDS, SLICE_KIND } from '../db/slice-kinds.ts';
import { type Filters, sqlTimeZone } from '../filters.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { firstDayKept } from '../raw-retention.ts';
import { zoneDaysAreUtc } from './buckets.ts';
import { splitTimeRange, type TimeSegment } from './time-segments.ts';

type Sql = Prisma.Sql;

/** Dimensions a count can be grouped or filtered by, and their column in the unified projection. */
export const DIMENSIONS = {
  domain: 'rcpt_domain',
  provider: 'provider',
  vmta: 'vmta',
  pool: 'vmta_pool',
  sourceIp: 'source_ip',
  job: 'job_id',
  bounceCategory: 'bounce_cat',
  source: 'source',
} as const;
export type Dimension = keyof typeof DIMENSIONS;

/**
 * A raw row's VirtualMTA as the rollups count it (NULL for none): a pool's name logged as the
 * VirtualMTA (vmta = vmta_pool) is no VirtualMTA. The ingest's rule is sendingVmta (lib/acct/vmta.ts).
 */
export const RAW_VMTA = (row: string) => Prisma.raw(`NULLIF(${row}vmta, ${row}vmta_pool)`);

const needsIpAttribution = (dims: Dimension[]) => dims.includes('vmta') || dims.includes('pool');

// The VirtualMTA that sent most from each IP: `f` rows only carry the IP. Resolved at query time,
// so an FBL file read before the delivery files is still attributed.
// Every query that attributes complaints (stats, records, incidents) reads this one definition.
export const IP_VMTA_SELECT = Prisma.sql`SELECT DISTINCT ON (source_ip) source_ip, vmta, vmta_pool FROM vmta_ip
   ORDER BY source_ip, n DESC, vmta, vmta_pool`;
const IP_VMTA = Prisma.sql`ip_vmta AS (${IP_VMTA_SELECT})`;

/**
 * The bucket of a row at `grain` (a segment's table): NULL without buckets; the row's own bucket
 * when the grain is the bucket unit (minute rows are minute starts in every zone; hour and day
 * rows are only read for hour and day buckets where the zone's hours and days start on UTC ones,
 * see allowHourRollups and allowDay), sparing date_trunc with a zone on every row (~1 µs each:
 * a 24-hour minute series folds ~11,000 rows); else date_trunc(unit, t, zone).
 */
function bucketOf(grain: TimeSegment['table'], col: Sql, bucket: CountQuery['bucket']): Sql {
  if (!bucket) return Prisma.sql`NULL::timestamptz`;
  if (grain === bucket.unit) return col;
  return Prisma.sql`date_trunc(${bucket.unit}, ${col}, ${sqlTimeZone(bucket.tz)})`;
}

/**
 * One time segment projected to the common shape (b, type, dimensions…, n). Rollup rows are joined
 * to the acct_dim dictionary row by row and summed once, by the outer query: at realistic
 * cardinality nearly every (bucket, dim_id) is its own key, so summing per (bucket, dim_id) first
 * built a hash table as large as the segment (spilling to disk) for no reduction.
 */
function segmentSelect(table: TimeSegment['table'], from: Date, to: Date, bucket: CountQuery['bucket']): Sql {
  if (table === 'day' || table === 'month') throw new Error(`the star rollups have no ${table} grain`);
  const trunc = (col: Sql) => bucketOf(table, col, bucket);
  if (table === 'raw') {
    return Prisma.sql`SELECT ${trunc(Prisma.sql`time_logged`)} AS b, type, source, rcpt_domain, provider,
      COALESCE(${RAW_VMTA('')}, '') AS vmta, COALESCE(vmta_pool, '') AS vmta_pool, COALESCE(dlv_source_ip, '') AS source_ip,
      COALESCE(job_id, '') AS job_id, COALESCE(bounce_cat, '') AS bounce_cat, 1::int8 AS n
      FROM acct_record WHERE time_logged >= ${from} AND time_logged < ${to}`;
  }
  const name = Prisma.raw(table === 'minute' ? 'rollup_minute' : 'rollup_hour');
  return Prisma.sql`SELECT ${trunc(Prisma.sql`r.bucket`)} AS b, d.type, d.source, d.rcpt_domain, d.provider, d.vmta,
      d.vmta_pool, d.source_ip, d.job_id, d.bounce_cat, r.n
      FROM ${name} r JOIN acct_dim d ON d.id = r.dim_id
     WHERE r.bucket >= ${from} AND r.bucket < ${to}`;
}

/** A dimension's value in row `row` (raw projection `s` or acct_dim `d`), through ip_vmta `m` if attributed. */
function column(dim: Dimension, attributed: boolean, row = 's'): Sql {
  if (attributed && dim === 'vmta')
    return Prisma.raw(`(CASE WHEN ${row}.type = 'f' THEN COALESCE(m.vmta, '') ELSE ${row}.vmta END)`);
  if (attributed && dim === 'pool') {
    return Prisma.raw(
      `(CASE WHEN ${row}.type = 'f' THEN COALESCE(m.vmta_pool, '') ELSE ${row}.vmta_pool END)`,
    );
  }
  return Prisma.raw(`${row}.${DIMENSIONS[dim]}`);
}

const DAY = 86_400_000;

/**
 * Where raw rows are complete from: the later of where the worker published they start
 * (raw_retention, `published`) and the first day RAW_RETENTION_DAYS keeps if the app was given it
 * (firstDayKept, the worker's own rule). -Infinity when neither says.
 */
export function rawRowsFrom(published: number | undefined, now = Date.now()): number {
  const days = Number(process.env.RAW_RETENTION_DAYS ?? 0);
  const fromEnv = Number.isInteger(days) && days > 0 ? firstDayKept(days, now) : Number.NEGATIVE_INFINITY;
  return Math.max(fromEnv, published ?? Number.NEGATIVE_INFINITY);
}

/**
 * Raw rows are read from a day after rawRowsFrom on (a day of margin for a partition dropped
 * between reading raw_retention and running the query). Before it, edge minutes come from the star
 * rollups, kept forever.
 */
function rawKeptFrom(q: CountQuery): number {
  return rawRowsFrom(q.rawKeptFrom) + DAY;
}

const SLICE_TABLES = {
  minute: Prisma.raw('rollup_slice_minute'),
  hour: Prisma.raw('rollup_slice_hour'),
  day: Prisma.raw('rollup_slice_day'),
  month: Prisma.raw('rollup_slice_month'),
};

/**
 * One time segment of a query that touches at most one dimension (`dim`, or none: all records),
 * projected to (b, type, k, n) with k the dimension's value: from the slice rollups where they hold
 * that dimension at the segment's grain, otherwise from the star rollups or raw rows (the edges).
 * By VirtualMTA or pool, complaints come from their sending IP's slice through ip_vmta.
 */
function sliceSegment(seg: TimeSegment, dim: Dimension | null, q: CountQuery): Sql {
  const { bucket } = q;
  const kind = dim ? SLICE_KIND[dim] : SLICE_KIND.all;
  if (seg.negate && seg.table !== 'day' && seg.table !== 'hour') {
    throw new Error(`only day and hour segments are subtracted, not ${seg.table}`);
  }
  const trunc = (col: Sql) => bucketOf(seg.table, col, bucket);
  if (seg.table === 'raw' || (seg.table === 'minute' && !MINUTE_SLICE_KINDS.includes(kind))) {
    const attributed = dim !== null && needsIpAttribution([dim]);
    const k = dim ? column(dim, attributed) : Prisma.sql`''`;
    // Minutes of this dimension: from the raw rows while they are kept (at most two edge hours;
    // reading them by time beats joining star rows to the dimension dictionary), else the star.
    const table = seg.table === 'minute' && seg.from.getTime() < rawKeptFrom(q) ? 'minute' : 'raw';
    return Prisma.sql`SELECT s.b, s.type, ${k} AS k, s.n FROM (${segmentSelect(table, seg.from, seg.to, bucket)}) s
      ${attributed ? Prisma.sql`LEFT JOIN ip_vmta m ON s.type = 'f' AND m.source_ip = s.source_ip` : Prisma.empty}`;
  }
  const table = SLICE_TABLES[seg.table];
  const n = seg.negate ? Prisma.sql`-n` : Prisma.sql`n`;
  const own = Prisma.sql`SELECT ${trunc(Prisma.sql`bucket`)} AS b, type, key AS k, ${n} AS n FROM ${table}
     WHERE kind = ${kind} AND bucket >= ${seg.from} AND bucket < ${seg.to}`;
  if (dim !== 'vmta' && dim !== 'pool') return own;
  const mapped = Prisma.raw(dim === 'vmta' ? 'm.vmta' : 'm.vmta_pool');
  return Prisma.sql`${own} AND type <> 'f'
    UNION ALL
    SELECT ${trunc(Prisma.sql`r.bucket`)}, r.type, COALESCE(${mapped}, ''), ${seg.negate ? Prisma.sql`-r.n` : Prisma.sql`r.n`}
      FROM ${table} r LEFT JOIN ip_vmta m ON m.source_ip = r.key
     WHERE r.kind = ${SLICE_KIND.sourceIp} AND r.type = 'f' AND r.bucket >= ${seg.from} AND r.bucket < ${seg.to}`;
}

/** The count query over slice rollups, for at most one dimension (see buildCountQuery). */
function buildSliceQuery(q: CountQuery, dim: Dimension | null): Sql {
  const { filters } = q;
  const attributed = dim !== null && needsIpAttribution([dim]);
  // Day rows are UTC days: they serve ranges without buckets, and day buckets only in a zone
  // whose days are UTC days over the whole range. Month rows (UTC months) serve ranges without buckets.
  const allowDay =
    q.allowHourRollups &&
    (!q.bucket || (q.bucket.unit === 'day' && zoneDaysAreUtc(filters.from, filters.to, q.bucket.tz)));
  const allowMonth = q.allowHourRollups && !q.bucket;
  const segments = splitTimeRange(filters.from, filters.to, {
    allowHour: q.allowHourRollups,
    allowDay,
    allowMonth,
  });
  const union = Prisma.join(
    segments.map((s) => sliceSegment(s, dim, q)),
    ' UNION ALL ',
  );
  const filter = dim ? filters[dim] : [];
  return Prisma.sql`WITH ${attributed ? Prisma.sql`${IP_VMTA},` : Prisma.empty} s AS (${union})
    SELECT ${q.groupBy ? Prisma.sql`s.k` : Prisma.sql`NULL::text`} AS k, s.b, s.type, SUM(s.n)::int8 AS n
      FROM s ${filter.length ? Prisma.sql`WHERE s.k = ANY(${filter}::text[])` : Prisma.empty}
     GROUP BY 1, 2, 3
     -- a month minus its days outside the range leaves values that had records only there at 0
     ${segments.some((seg) => seg.negate) ? Prisma.sql`HAVING SUM(s.n) <> 0` : Prisma.empty}`;
}

function filterDims(f: Filters): Dimension[] {
  return (Object.keys(DIMENSIONS) as Dimension[]).filter((d) => f[d].length > 0);
}

/** The dimension filters as conditions on row `row` (acct_dim `d`, raw projection `s`). */
export function dimConditions(filters: Filters, attributed = false, row = 'd'): Sql[] {
  return filterDims(filters).map(
    (dim) => Prisma.sql`${column(dim, attributed, row)} = ANY(${filters[dim]}::text[])`,
  );
}

export interface CountQuery {
  filters: Filters;
  /** Group by a dimension (breakdown) … */
  groupBy?: Dimension;
  /**
   * … and by a second one within it (read from the star rollups): each row's `k2`. The bounces
   * screen's hard and expired parts per key are one read grouped by bounce category.
   */
  thenBy?: Dimension;
  /** … and/or by time bucket: date_trunc(unit, t, tz). */
  bucket?: { unit: 'minute' | 'hour' | 'day'; tz: string };
  allowHourRollups: boolean;
  /** Read the star rollups even when slice rollups could answer (tests compare the two). */
  star?: boolean;
  /**
   * Where raw rows are complete from (ms), as the worker published it (raw_retention); unset: from
   * the start, unless RAW_RETENTION_DAYS says otherwise.
   */
  rawKeptFrom?: number;
}

/**
 * Builds the one aggregate every stats endpoint runs: counts per record type (and per key / time
 * bucket) over the time segments of [from, to), from rollups, with raw rows only for sub-minute
 * edges. A query whose filters and grouping touch at most one dimension reads the slice rollups
 * (rows per bucket × type × value), any other the star rollups (rows per bucket × dimension tuple).
 * Rows: { k: string | null, b: Date | null, type: string, n: bigint } (and k2 with `thenBy`).
 */
export function buildCountQuery(q: CountQuery): Sql {
  const { filters } = q;
  const dims = filterDims(filters);
  if (q.groupBy) dims.push(q.groupBy);
  if (q.thenBy) dims.push(q.thenBy);
  const distinct = [...new Set(dims)];
  if (!q.star && !q.thenBy && distinct.length <= 1) return buildSliceQuery(q, distinct[0] ?? null);
  return buildStarQuery(q, needsIpAttribution(dims));
}

/**
 * The count query over the star rollups (any filters and grouping). The dimension dictionary is
 * filtered and keyed once (`dims`: the tuples that match, with the key they count under), and
 * only their rollup rows are read, through rollup_hour_dim_idx: a pool's or VirtualMTA's 7 days
 * joined every hour row of the window to the whole dictionary, three times (one per segment), and
 * filtered the joined rows (~2 s per breakdown on 2M records). Raw edges filter their own rows.
 */
function buildStarQuery(q: CountQuery, attributed: boolean): Sql {
  const { filters } = q;
  const segments = splitTimeRange(filters.from, filters.to, { allowHour: q.allowHourRollups });
  const ipJoin = (row: string) =>
    attributed
      ? Prisma.raw(`LEFT JOIN ip_vmta m ON ${row}.type = 'f' AND m.source_ip = ${row}.source_ip`)
      : Prisma.empty;
  const where = (row: string) => {
    const conds = dimConditions(filters, attributed, row);
    return conds.length ? Prisma.sql`WHERE ${Prisma.join(conds, ' AND ')}` : Prisma.empty;
  };
  const key = (row: string) => (q.groupBy ? column(q.groupBy, attributed, row) : Prisma.sql`NULL::text`);
  const { thenBy } = q;
  const key2 = (row: string) =>
    thenBy ? Prisma.sql`, ${column(thenBy, attributed, row)} AS k2` : Prisma.empty;
  const union = Prisma.join(
    segments.map((seg) => {
      if (seg.table === 'raw') {
        return Prisma.sql`SELECT s.b, s.type, ${key('s')} AS k, s.n${key2('s')}
          FROM (${segmentSelect('raw', seg.from, seg.to, q.bucket)}) s ${ipJoin('s')} ${where('s')}`;
      }
      if (seg.table !== 'minute' && seg.table !== 'hour')
        throw new Error(`the star rollups have no ${seg.table} grain`);
      const name = Prisma.raw(seg.table === 'minute' ? 'rollup_minute' : 'rollup_hour');
      return Prisma.sql`SELECT ${bucketOf(seg.table, Prisma.sql`r.bucket`, q.bucket)} AS b, d.type, d.k, r.n${thenBy ? Prisma.sql`, d.k2` : Prisma.empty}
          FROM ${name} r JOIN dims d ON d.id = r.dim_id
         WHERE r.bucket >= ${seg.from} AND r.bucket < ${seg.to}`;
    }),
    ' UNION ALL ',
  );
  const dims = segments.some((seg) => seg.table !== 'raw')
    ? Prisma.sql`dims AS MATERIALIZED (SELECT d.id, d.type, ${key('d')} AS k${key2('d')} FROM acct_dim d ${ipJoin('d')} ${where('d')}),`
    : Prisma.empty;
  return Prisma.sql`WITH ${attributed ? Prisma.sql`${IP_VMTA},` : Prisma.empty} ${dims} s AS (${union})
    SELECT s.k, s.b, s.type, SUM(s.n)::int8 AS n${thenBy ? Prisma.sql`, s.k2 FROM s GROUP BY 1, 2, 3, 5` : Prisma.sql` FROM s GROUP BY 1, 2, 3`}`;
}

export interface CountRow {
  k: string | null;
  /** The `thenBy` value (only with `thenBy`). */
  k2?: string;
  b: Date | null;
  type: string;
  n: bigint;
}
