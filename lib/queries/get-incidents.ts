import { getPrisma } from '../db/client.ts';
import { ParamError, parseChoice, parseInstant, parseLimit, single } from '../filters.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { shapeIncident } from '../incidents/monitor.ts';

export const INCIDENT_STATUSES = ['open', 'resolved', 'all'] as const;

export interface IncidentQuery {
  status: (typeof INCIDENT_STATUSES)[number];
  /** Incidents active at or after this instant (open ones always qualify). */
  since: Date;
  limit: number;
}

/** `status=open|resolved|all` (default all), `since=` (default 7 days ago), `limit=` (1–1000, 200). */
export function parseIncidentQuery(params: URLSearchParams, now = new Date()): IncidentQuery {
  const sinceRaw = single(params, 'since');
  const since = sinceRaw ? parseInstant(sinceRaw, 'since') : new Date(now.getTime() - 7 * 86_400_000);
  if (since.getTime() > now.getTime()) throw new ParamError('since must not be in the future', 'since');
  return {
    status: parseChoice(params, 'status', INCIDENT_STATUSES, 'all'),
    since,
    limit: parseLimit(params, 200, 1000),
  };
}

/** Incidents, open ones first, then the most recently started. */
export async function getIncidents(q: IncidentQuery) {
  const where: Prisma.Sql[] = [Prisma.sql`(resolved_at IS NULL OR resolved_at >= ${q.since})`];
  if (q.status === 'open') where.push(Prisma.sql`resolved_at IS NULL`);
  if (q.status === 'resolved') where.push(Prisma.sql`resolved_at IS NOT NULL`);
  const rows = await getPrisma().$queryRaw<Record<string, unknown>[]>`
    SELECT * FROM incident WHERE ${Prisma.join(where, ' AND ')}
     ORDER BY (resolved_at IS NULL) DESC, started_at DESC, id DESC LIMIT ${q.limit}`;
  return { since: q.since.toISOString(), incidents: rows.map(shapeIncident) };
}
