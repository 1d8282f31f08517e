import { getPrisma } from '../db/client.ts';
import { ParamError, parseChoice, parseFilterValues, parseInstant, parseLimit, single } from '../filters.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { shapeIncident } from '../incidents/monitor.ts';
import { METRICS, type Metric } from '../incidents/rules.ts';

export const INCIDENT_STATUSES = ['open', 'resolved', 'all'] as const;

/** The most incidents one answer lists (`limit=`). */
export const MAX_INCIDENT_LIMIT = 1000;

/** The period listed without `since=`. */
export const DEFAULT_INCIDENT_DAYS = 7;

/** The query parameters of the incident list (API and screen). */
export const INCIDENT_PARAMS = ['since', 'status', 'limit', 'provider', 'vmta', 'pool', 'metric'] as const;

export interface IncidentQuery {
  status: (typeof INCIDENT_STATUSES)[number];
  /** Incidents active at or after this instant (open ones always qualify). */
  since: Date;
  limit: number;
  /** Providers named (any of them); empty: all. */
  provider: string[];
  /** VirtualMTAs and pools named: an incident matches when its slice is one of them; both empty: all. */
  vmta: string[];
  pool: string[];
  metric: Metric | null;
}

/**
 * `status=open|resolved|all` (default all), `since=` (default `DEFAULT_INCIDENT_DAYS` ago), `limit=` (1–1000, 200),
 * `provider=`, `vmta=`, `pool=` (repeatable or comma-separated, as the stats filters) and
 * `metric=bounce|deferral|complaint`.
 */
export function parseIncidentQuery(params: URLSearchParams, now = new Date()): IncidentQuery {
  const sinceRaw = single(params, 'since');
  const since = sinceRaw
    ? parseInstant(sinceRaw, 'since')
    : new Date(now.getTime() - DEFAULT_INCIDENT_DAYS * 86_400_000);
  if (since.getTime() > now.getTime()) throw new ParamError('since must not be in the future', 'since');
  const metric = single(params, 'metric') === undefined ? null : parseChoice(params, 'metric', METRICS);
  return {
    status: parseChoice(params, 'status', INCIDENT_STATUSES, 'all'),
    since,
    limit: parseLimit(params, 200, MAX_INCIDENT_LIMIT),
    provider: parseFilterValues(params, 'provider'),
    vmta: parseFilterValues(params, 'vmta'),
    pool: parseFilterValues(params, 'pool'),
    metric,
  };
}

/** The WHERE of an incident query (status and since as its documentation says). */
function incidentWhere(q: IncidentQuery): Prisma.Sql {
  const where: Prisma.Sql[] = [Prisma.sql`(resolved_at IS NULL OR resolved_at >= ${q.since})`];
  if (q.status === 'open') where.push(Prisma.sql`resolved_at IS NULL`);
  if (q.status === 'resolved') where.push(Prisma.sql`resolved_at IS NOT NULL`);
  if (q.provider.length) where.push(Prisma.sql`provider = ANY(${q.provider})`);
  if (q.metric) where.push(Prisma.sql`metric = ${q.metric}`);
  const slices: Prisma.Sql[] = [];
  if (q.vmta.length) slices.push(Prisma.sql`(slice_kind = 'vmta' AND sender = ANY(${q.vmta}))`);
  if (q.pool.length) slices.push(Prisma.sql`(slice_kind = 'pool' AND sender = ANY(${q.pool}))`);
  if (slices.length) where.push(Prisma.sql`(${Prisma.join(slices, ' OR ')})`);
  return Prisma.join(where, ' AND ');
}

/**
 * Incidents, open ones first, then the most recently started: the first `limit`, and how many match
 * in all (`totalIncidents`, as a breakdown's `totalRows`): a full page gave no sign that more
 * existed (QA). A total rather than a cursor: the list is bounded by `since` and ranked (open
 * first), so a client narrows it or raises `limit`.
 */
export async function getIncidents(q: IncidentQuery) {
  const where = incidentWhere(q);
  const [rows, total] = await Promise.all([
    getPrisma().$queryRaw<Record<string, unknown>[]>`
      SELECT * FROM incident WHERE ${where}
       ORDER BY (resolved_at IS NULL) DESC, started_at DESC, id DESC LIMIT ${q.limit}`,
    getPrisma().$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM incident WHERE ${where}`,
  ]);
  return {
    since: q.since.toISOString(),
    incidents: rows.map(shapeIncident),
    totalIncidents: Number(total[0].n),
  };
}

/** The providers, VirtualMTAs and pools that have had an incident (the screen's filter choices). */
export async function getIncidentFilterOptions() {
  const rows = await getPrisma().$queryRaw<{ slice_kind: string; provider: string; sender: string }[]>`
    SELECT DISTINCT slice_kind, provider, sender FROM incident`;
  const sorted = (values: Iterable<string>) => [...new Set(values)].sort((a, b) => a.localeCompare(b));
  return {
    provider: sorted(rows.map((r) => r.provider)),
    vmta: sorted(rows.filter((r) => r.slice_kind === 'vmta').map((r) => r.sender)),
    pool: sorted(rows.filter((r) => r.slice_kind === 'pool').map((r) => r.sender)),
  };
}

/** The pools each of these VirtualMTAs sent for, as the records name them (to group incidents). */
export async function getPoolsOfVmtas(vmtas: string[]): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  if (vmtas.length === 0) return out;
  const rows = await getPrisma().$queryRaw<{ vmta: string; pool: string }[]>`
    SELECT DISTINCT vmta, vmta_pool AS pool FROM acct_dim WHERE vmta = ANY(${vmtas}) AND vmta_pool <> ''`;
  for (const r of rows) {
    const pools = out.get(r.vmta) ?? new Set<string>();
    pools.add(r.pool);
    out.set(r.vmta, pools);
  }
  return out;
}

/**
 * The open incidents for the overview's banner: how many there are, and the first `named` of them,
 * a pool's before its VirtualMTAs' (one cause opens both, and the pool is the one to act on), then
 * the latest started. Counted apart from the ones named: the banner read its count off a list of
 * 20 and said "20 open incidents" with 31 open (QA).
 */
export async function getOpenIncidents(named: number) {
  const [rows, count] = await Promise.all([
    getPrisma().$queryRaw<Record<string, unknown>[]>`
      SELECT * FROM incident WHERE resolved_at IS NULL
       ORDER BY (slice_kind = 'pool') DESC, started_at DESC, id DESC LIMIT ${named}`,
    getPrisma().$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM incident WHERE resolved_at IS NULL`,
  ]);
  return { count: Number(count[0].n), named: rows.map(shapeIncident) };
}
