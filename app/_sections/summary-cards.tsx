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
        {COMPARED_CARDS.map((c) => (
          <KpiCard
            key={c.label}
            label={c.label}
            value={counts[c.key]}
            href={records(c.type)}
            noChange={noChange}
            comparison={before.comparison}
            change={change(c.key)}
            previous={priorCount(c.key, c.type)}
            rate={c.rate(counts, rates)}
            previousRate={previousRate(compared ? c.rate(compared.counts, compared.rates) : null)}
            rateLabel={c.rateLabel}
            rateLimits={c.rateLimits}
          />
        ))}
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

type Summary = Awaited<ReturnType<typeof getSummary>>;

/** The cards with a rate and a change: each count, its record type and its rate. */
const COMPARED_CARDS: {
  label: string;
  key: 'delivered' | 'bounced' | 'deferred' | 'complaints';
  type: string;
  rate: (c: Summary['counts'], r: Summary['rates']) => number | null;
  rateLabel: string;
  rateLimits?: readonly number[];
}[] = [
  { label: 'Delivered', key: 'delivered', type: 'd', rate: (_, r) => r.delivery, rateLabel: 'delivery rate' },
  { label: 'Bounced', key: 'bounced', type: 'b', rate: (_, r) => r.bounce, rateLabel: 'bounce rate' },
  {
    label: 'Deferred',
    key: 'deferred',
    type: 't',
    // As the incidents judge it: deferrals among the attempts (t / (d + b + t)).
    rate: (c) => {
      const attempts = c.delivered + c.bounced + c.deferred;
      return attempts ? c.deferred / attempts : null;
    },
    rateLabel: 'deferral rate',
  },
  {
    label: 'Complaints',
    key: 'complaints',
    type: 'f',
    rate: (_, r) => r.complaint,
    rateLabel: 'complaint rate',
    rateLimits: COMPLAINT_LIMIT_RATES,
  },
];
