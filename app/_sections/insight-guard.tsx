import { Panel } from '@/components/panel.tsx';
import { WholeMinutesLink } from '@/components/whole-minutes-link.tsx';
import { WithoutParamLink } from '@/components/without-param-link.tsx';
import { ParamError } from '@/lib/filters.ts';
import { InsightFilterError } from '@/lib/queries/insight-query.ts';
import { MinutesNotKeptError } from '@/lib/queries/minute-reads.ts';
import { DIMENSION_LABELS } from '@/lib/screens.ts';

/** "A", "A and B", "A, B and C". */
function listed(names: string[]): string {
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : names[0];
}

/** "the Job filter", "the Sending IP and Job filters": filters as the filter bar labels them. */
function theFilters(labels: string[]): string {
  return `the ${listed(labels)} filter${labels.length > 1 ? 's' : ''}`;
}

/**
 * Runs an insight panel; a filter the insight rollups do not carry (sending IP, job, bounce
 * category, source host) becomes a plain explanation in the panel instead of an error.
 */
export async function insightPanel(title: string, render: () => Promise<React.ReactNode>) {
  try {
    return await render();
  } catch (error) {
    if (!(error instanceof ParamError)) throw error;
    // Minute rollups no longer kept (MINUTE_ROLLUP_RETENTION_DAYS): the message says what to change.
    if (error instanceof MinutesNotKeptError)
      return (
        <Panel title={title}>
          <p className="text-sm text-gray-500">{error.message}.</p>
        </Panel>
      );
    // A filter the rollups do not carry, named as the filter bar names it ("sourceIp is not
    // available…, clear the other filters" named the API's parameter and told to clear filters
    // there may not be, QA): the way out drops exactly those filters, the range and others kept.
    if (error instanceof InsightFilterError) {
      const labels = error.unavailable.map((p) => DIMENSION_LABELS[p]);
      const filters = theFilters(labels);
      const kept = error.kept.length
        ? `the range and ${theFilters(error.kept.map((d) => DIMENSION_LABELS[d]))}`
        : 'the same range';
      return (
        <Panel title={title}>
          <p className="text-sm text-gray-500" data-testid="insight-unavailable">
            This view is kept per provider, domain, VirtualMTA and pool, not by {listed(labels)}: it can be
            shown without {filters}, for {kept}.
          </p>
          <WithoutParamLink param={error.unavailable} name={filters} />
        </Panel>
      );
    }
    // A window edge off the minute is not a filter to clear: say so, and offer the way out.
    const edge = error.param === 'from' || error.param === 'to';
    return (
      <Panel title={title}>
        <p className="text-sm text-gray-500">
          {error.message}. {edge ? 'This view is kept per minute: give whole minutes to see it.' : null}
        </p>
        {edge ? <WholeMinutesLink /> : <WithoutParamLink param={error.param} />}
      </Panel>
    );
  }
}
