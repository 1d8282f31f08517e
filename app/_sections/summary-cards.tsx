import { KpiCard } from '@/components/kpi-card.tsx';
import { ParamError } from '@/lib/filters.ts';
import { previousPeriod, relativeChange } from '@/lib/queries/compare.ts';
import { getSummary } from '@/lib/queries/get-summary.ts';
import type { Screen } from '@/lib/screen-params.ts';
import { getScreenSummary } from './shared-reads.ts';

/** KPI cards of a slice: every record type, the rates, the change vs the previous period. */
export async function SummaryCards({ screen }: { screen: Screen }) {
  const { filters } = screen;
  const [{ counts, rates }, previous] = await Promise.all([
    getScreenSummary(filters, screen.bucket, screen.tz),
    // No comparison rather than a wrong one: a previous period with an edge within a minute whose
    // raw records are no longer kept cannot be counted exactly (queryCounts).
    getSummary(previousPeriod(filters)).catch((error) => {
      if (error instanceof ParamError) return null;
      throw error;
    }),
  ]);
  const change = (k: keyof typeof counts) =>
    previous ? relativeChange(counts[k], previous.counts[k]) : null;
  return (
    <div className="grid grid-cols-2 gap-4 md:grid-cols-4">
      <KpiCard
        label="Delivered"
        value={counts.delivered}
        change={change('delivered')}
        rate={rates.delivery}
        rateLabel="delivery rate"
      />
      <KpiCard
        label="Bounced"
        value={counts.bounced}
        change={change('bounced')}
        rate={rates.bounce}
        rateLabel="bounce rate"
      />
      <KpiCard label="Deferred" value={counts.deferred} change={change('deferred')} />
      <KpiCard
        label="Complaints"
        value={counts.complaints}
        change={change('complaints')}
        rate={rates.complaint}
        rateLabel="complaint rate"
      />
      <KpiCard label="Queue deferred" value={counts.queueDeferred} />
      <KpiCard label="Received" value={counts.received} />
      <KpiCard label="Remote bounced" value={counts.remoteBounced} />
      <KpiCard label="Remote status" value={counts.remoteStatus} />
    </div>
  );
}
