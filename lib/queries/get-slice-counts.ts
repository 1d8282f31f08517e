import { getPrisma } from '../db/client.ts';
import { Prisma } from '../generated/prisma/client.ts';
import type { SliceCounts } from '../incidents/rules.ts';
import { IP_VMTA_SELECT } from './count-query.ts';
import { checkMinuteReads } from './minute-reads.ts';
import { getMinuteKeptFrom } from './query-counts.ts';
import { splitTimeRange } from './time-segments.ts';

const MINUTE = 60_000;

/** A provider × VirtualMTA or provider × pool. */
export interface SliceKey {
  kind: 'vmta' | 'pool';
  provider: string;
  sender: string;
}

export interface SliceTotals extends SliceKey {
  counts: SliceCounts;
}

export const sliceId = (s: SliceKey) => `${s.kind}\u0001${s.provider}\u0001${s.sender}`;

const COUNTED: Record<string, keyof SliceCounts> = {
  d: 'delivered',
  b: 'bounced',
  t: 'deferred',
  f: 'complaints',
};

/**
 * Slice counts are read from the rollups: whole minutes only, and none before the minute rollups
 * are kept (MINUTE_ROLLUP_RETENTION_DAYS; the worker's configuration keeps them over the monitor's
 * baseline and window, so this refuses only a database another worker prunes sooner).
 */
async function assertMinutes(from: Date, to: Date, allowHour: boolean) {
  if (from.getTime() % MINUTE !== 0 || to.getTime() % MINUTE !== 0) {
    throw new Error('slice counts are read from rollups: from and to must be whole minutes');
  }
  checkMinuteReads({ from, to, allowHour, minuteFrom: await getMinuteKeptFrom() });
}

/** The rollup rows of minute-aligned [from, to) with the dimensions slices need. */
function rollupRows(from: Date, to: Date, slice?: SliceKey): Prisma.Sql {
  // Per-minute reads (one slice) must not get whole hours folded into their first minute.
  const parts = splitTimeRange(from, to, { allowHour: !slice }).map((s) => {
    const table = Prisma.raw(s.table === 'hour' ? 'rollup_hour' : 'rollup_minute');
    return Prisma.sql`SELECT r.bucket, d.type, d.provider, d.vmta, d.vmta_pool, d.source_ip, r.n
      FROM ${table} r JOIN acct_dim d ON d.id = r.dim_id
     WHERE r.bucket >= ${s.from} AND r.bucket < ${s.to} AND d.type IN ('d', 'b', 't', 'f')
       ${slice ? Prisma.sql`AND d.provider = ${slice.provider}` : Prisma.empty}`;
  });
  return Prisma.join(parts, ' UNION ALL ');
}

// Complaints carry only the sending IP: attributed to the VirtualMTA that sent most from it, as
// the stats do (count-query.ts), so an incident's numbers match the dashboard's.
const ATTRIBUTED = (rows: Prisma.Sql) => Prisma.sql`
  ip_vmta AS (${IP_VMTA_SELECT}),
  a AS (SELECT s.bucket, s.type, s.provider,
               CASE WHEN s.type = 'f' THEN COALESCE(m.vmta, '') ELSE s.vmta END AS vmta,
               CASE WHEN s.type = 'f' THEN COALESCE(m.vmta_pool, '') ELSE s.vmta_pool END AS pool, s.n
          FROM (${rows}) s LEFT JOIN ip_vmta m ON s.type = 'f' AND m.source_ip = s.source_ip)`;

function addTo(counts: SliceCounts, type: string, n: bigint | number) {
  const key = COUNTED[type];
  if (key) counts[key] += Number(n);
}

const empty = (): SliceCounts => ({ delivered: 0, bounced: 0, deferred: 0, complaints: 0 });

/**
 * Delivered, bounced, deferred and complaint counts of every provider × VirtualMTA and provider ×
 * pool over minute-aligned [from, to), read from the rollups.
 */
export async function getSliceCounts(from: Date, to: Date): Promise<Map<string, SliceTotals>> {
  await assertMinutes(from, to, true);
  const rows = await getPrisma().$queryRaw<
    { kind: 'vmta' | 'pool'; provider: string; sender: string; type: string; n: bigint }[]
  >`
    WITH ${ATTRIBUTED(rollupRows(from, to))}
    SELECT 'vmta' AS kind, provider, vmta AS sender, type, SUM(n)::int8 AS n FROM a WHERE vmta <> '' GROUP BY 2, 3, 4
    UNION ALL
    SELECT 'pool' AS kind, provider, pool AS sender, type, SUM(n)::int8 AS n FROM a WHERE pool <> '' GROUP BY 2, 3, 4`;
  const out = new Map<string, SliceTotals>();
  for (const r of rows) {
    const id = sliceId(r);
    let s = out.get(id);
    if (!s) {
      s = { kind: r.kind, provider: r.provider, sender: r.sender, counts: empty() };
      out.set(id, s);
    }
    addTo(s.counts, r.type, r.n);
  }
  return out;
}

/** One slice's counts per minute of minute-aligned [from, to) (when did it start?). */
export async function getSliceMinutes(slice: SliceKey, from: Date, to: Date) {
  await assertMinutes(from, to, false);
  const column = Prisma.raw(slice.kind === 'vmta' ? 'vmta' : 'pool');
  const rows = await getPrisma().$queryRaw<{ t: Date; type: string; n: bigint }[]>`
    WITH ${ATTRIBUTED(rollupRows(from, to, slice))}
    SELECT date_trunc('minute', bucket) AS t, type, SUM(n)::int8 AS n FROM a
     WHERE ${column} = ${slice.sender} GROUP BY 1, 2 ORDER BY 1`;
  const minutes: { t: Date; counts: SliceCounts }[] = [];
  for (let t = from.getTime(); t < to.getTime(); t += MINUTE)
    minutes.push({ t: new Date(t), counts: empty() });
  for (const r of rows) {
    const i = (r.t.getTime() - from.getTime()) / MINUTE;
    if (minutes[i]) addTo(minutes[i].counts, r.type, r.n);
  }
  return minutes;
}
