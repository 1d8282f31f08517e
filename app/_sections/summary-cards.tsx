import { CompareToggle } from '@/components/compare-toggle.tsx';
import { KpiCard } from '@/components/kpi-card.tsx';
import { wallTimeFormat } from '@/lib/acct/format.ts';
import { COMPLAINT_LIMIT_RATES } from '@/lib/complaint-limits.ts';
import { ParamError } from '@/lib/filters.ts';
import { comparisonFor, previousPeriod, relativeChange, weekComparable } from '@/lib/queries/compare.ts';
import { getFirstRecordMinute } from '@/lib/queries/get-has-data.ts';
import { getSummary } from '@/lib/queries/get-summary.ts';
import { recordsHref, type Screen } from '@/lib/screen-params.ts';
import { tqUnselectableBy, tqUnselectableText } from '@/lib/tq-filters.ts';
import { getScreenSummary } from './shared-reads.ts';

/** KPI cards of a slice: every record type, the rates, the change vs the previous period. */
export async function SummaryCards({ screen }: { screen: Screen }) {
  const { filters } = screen;
  const period = { dayPreset: screen.dayPreset, tz: screen.tz };
  const before = previousPeriod(filters, { ...period, compare: screen.compare });
  const [{ counts, rates }, previous, first] = await Promise.all([
    getScreenSummary(filters, screen.bucket, screen.tz),
    // No comparison rather than a wrong one: a previous period with an edge within a minute whose
    // raw records are no longer kept cannot be counted exactly (queryCounts).
    getSummary(before).catch((error) => {
      if (error instanceof ParamError) return null;
      throw error;
    }),
    getFirstRecordMinute(),
  ]);
  // Nor against a previous period the records begin within or after: its few minutes of data made
  // "▲ +177014.86 %" (QA).
  const partial = first !== null && first.getTime() > before.from.getTime();
  const compared = previous && !partial ? previous : null;
  const change = (k: keyof typeof counts) =>
    compared ? relativeChange(counts[k], compared.counts[k]) : null;
  // The count each change is from, linked to its records: the change is traceable as every count.
  const priorCount = (k: keyof typeof counts, type: string) =>
    compared ? { n: compared.counts[k], href: recordsHref(before, { type }) } : undefined;
  // A rate's change is only said where the count's is: not against a partial previous period.
  const previousRate = (r: number | null) => (compared ? r : undefined);
  const noChange =
    partial && first ? `records start ${wallTimeFormat(screen.tz, false).format(first)}` : undefined;
  const records = (type: string) => recordsHref(filters, { type });
  // As the incidents judge it: deferrals among the attempts (t / (d + b + t)).
  const deferralRate = (c: typeof counts) => {
    const attempts = c.delivered + c.bounced + c.deferred;
    return attempts ? c.deferred / attempts : null;
  };
  const tqLacks = tqUnselectableBy(filters);
  return (
    <>
      <CompareToggle
        previousName={capitalize(comparisonFor('previous', screen.dayPreset).name)}
        weekName={capitalize(comparisonFor('week', screen.dayPreset).name)}
        week={screen.compare === 'week'}
        weekApplies={weekComparable(filters)}
      />
      <div className="grid grid-cols-2 gap-4 md:grid-cols-4">
        <KpiCard
          label="Delivered"
          value={counts.delivered}
          href={records('d')}
          noChange={noChange}
          comparison={before.comparison}
          change={change('delivered')}
          previous={priorCount('delivered', 'd')}
          rate={rates.delivery}
          previousRate={previousRate(compared?.rates.delivery ?? null)}
          rateLabel="delivery rate"
        />
        <KpiCard
          label="Bounced"
          value={counts.bounced}
          href={records('b')}
          noChange={noChange}
          comparison={before.comparison}
          change={change('bounced')}
          previous={priorCount('bounced', 'b')}
          rate={rates.bounce}
          previousRate={previousRate(compared?.rates.bounce ?? null)}
          rateLabel="bounce rate"
        />
        <KpiCard
          label="Deferred"
          value={counts.deferred}
          href={records('t')}
          noChange={noChange}
          comparison={before.comparison}
          change={change('deferred')}
          previous={priorCount('deferred', 't')}
          rate={deferralRate(counts)}
          previousRate={previousRate(compared ? deferralRate(compared.counts) : null)}
          rateLabel="deferral rate"
        />
        <KpiCard
          label="Complaints"
          value={counts.complaints}
          href={records('f')}
          noChange={noChange}
          comparison={before.comparison}
          change={change('complaints')}
          previous={priorCount('complaints', 'f')}
          rate={rates.complaint}
          previousRate={previousRate(compared?.rates.complaint ?? null)}
          rateLabel="complaint rate"
          rateLimits={COMPLAINT_LIMIT_RATES}
        />
        <KpiCard
          label="Queue deferred"
          value={counts.queueDeferred}
          href={records('tq')}
          unavailable={tqLacks.length && counts.queueDeferred === 0 ? tqUnselectableText(tqLacks) : undefined}
        />
        <KpiCard label="Received" value={counts.received} href={records('r')} />
        <KpiCard label="Remote bounced" value={counts.remoteBounced} href={records('rb')} />
        <KpiCard label="Remote status" value={counts.remoteStatus} href={records('rs')} />
      </div>
    </>
  );
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
