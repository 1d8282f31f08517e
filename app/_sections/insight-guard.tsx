import { Panel } from '@/components/panel.tsx';
import { WholeMinutesLink } from '@/components/whole-minutes-link.tsx';
import { WithoutParamLink } from '@/components/without-param-link.tsx';
import { ParamError } from '@/lib/filters.ts';
import { MinutesNotKeptError } from '@/lib/queries/minute-reads.ts';

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
    // A window edge off the minute is not a filter to clear: say so, and offer the way out.
    const edge = error.param === 'from' || error.param === 'to';
    return (
      <Panel title={title}>
        <p className="text-sm text-gray-500">
          {error.message}.{' '}
          {edge
            ? 'This view is kept per minute: give whole minutes to see it.'
            : 'This view is kept per provider, domain, VirtualMTA and pool: clear the other filters to see it.'}
        </p>
        {edge ? <WholeMinutesLink /> : <WithoutParamLink param={error.param} />}
      </Panel>
    );
  }
}
