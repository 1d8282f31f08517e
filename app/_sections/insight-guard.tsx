import { Panel } from '@/components/panel.tsx';
import { ParamError } from '@/lib/filters.ts';

/**
 * Runs an insight panel; a filter the insight rollups do not carry (sending IP, job, bounce
 * category, source host) becomes a plain explanation in the panel instead of an error.
 */
export async function insightPanel(title: string, render: () => Promise<React.ReactNode>) {
  try {
    return await render();
  } catch (error) {
    if (!(error instanceof ParamError)) throw error;
    return (
      <Panel title={title}>
        <p className="text-sm text-gray-500">
          {error.message}. This view is kept per provider, domain, VirtualMTA and pool: clear the other
          filters to see it.
        </p>
      </Panel>
    );
  }
}
