import { Panel } from '@/components/panel.tsx';
import { formatCount } from '@/lib/acct/format.ts';
import { getSuppressionCounts } from '@/lib/queries/get-suppression-counts.ts';
import type { SuppressionQuery } from '@/lib/queries/get-suppressions.ts';
import { REASON_LABELS } from './reason-labels.ts';

/** How many recipients became suppressed since `since`, by the reason of their first event. */
export async function SuppressionReasons({ query }: { query: SuppressionQuery }) {
  const counts = await getSuppressionCounts(query);
  const total = Object.values(counts).reduce((a, n) => a + n, 0);
  return (
    <Panel title="Suppressions by reason">
      <dl className="flex flex-wrap gap-x-8 gap-y-2 text-sm">
        <div>
          <dt className="text-gray-500">Recipients</dt>
          <dd className="text-lg font-semibold tabular-nums" data-testid="suppressions-total">
            {formatCount(total)}
          </dd>
        </div>
        {Object.entries(REASON_LABELS).map(([reason, label]) => (
          <div key={reason}>
            <dt className="text-gray-500">{label.many}</dt>
            <dd className="text-lg font-semibold tabular-nums" data-testid={`suppressions-${reason}`}>
              {formatCount(counts[reason as keyof typeof counts])}
            </dd>
          </div>
        ))}
      </dl>
    </Panel>
  );
}
