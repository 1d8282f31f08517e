import { getPrisma } from '../db/client.ts';
import type { Filters } from '../filters.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { queryInsights } from './query-insights.ts';

export interface QueueDeferralRow {
  /** The PowerMTA queue (`domain/vmta`, the domain possibly a rollup name such as yahoo.rollup). */
  queue: string;
  total: number;
  /** The reason most of its queue deferrals give ('' key: no diagnostic). */
  topReason: { key: string; template: string; n: number };
}

/**
 * Queue deferrals (`tq`: a whole queue held back, no recipient) per queue with their top reason,
 * from the insight rollups, largest first.
 */
export async function getQueueDeferrals(filters: Filters, limit: number) {
  const rows = await queryInsights(filters, {
    kind: 'reason',
    types: ['tq'],
    groupBy: 'queue',
    allowHourRollups: true,
  });
  const byQueue = new Map<string, { total: number; reasons: Map<string, number> }>();
  for (const r of rows) {
    const queue = r.k ?? '';
    const q = byQueue.get(queue) ?? { total: 0, reasons: new Map() };
    q.total += Number(r.n);
    q.reasons.set(r.value, (q.reasons.get(r.value) ?? 0) + Number(r.n));
    byQueue.set(queue, q);
  }
  const top = [...byQueue]
    .map(([queue, q]) => {
      const [key, n] = [...q.reasons].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
      return { queue, total: q.total, topReason: { key, template: '', n } };
    })
    .sort((a, b) => b.total - a.total || (a.queue < b.queue ? -1 : 1))
    .slice(0, limit);
  const keys = [...new Set(top.map((r) => r.topReason.key).filter(Boolean))];
  if (keys.length) {
    const templates = await getPrisma().$queryRaw<{ key: string; template: string }[]>(
      Prisma.sql`SELECT key, template FROM diag_template WHERE key = ANY(${keys}::text[])`,
    );
    const byKey = new Map(templates.map((t) => [t.key, t.template]));
    for (const r of top) r.topReason.template = byKey.get(r.topReason.key) ?? '';
  }
  return { rows: top satisfies QueueDeferralRow[], totalQueues: byQueue.size };
}
