import Link from 'next/link';
import type { ReactNode } from 'react';
import { Panel } from '@/components/panel.tsx';
import { formatCount } from '@/lib/acct/format.ts';
import { getSuppressionCounts } from '@/lib/queries/get-suppression-counts.ts';
import type { SuppressionQuery } from '@/lib/queries/get-suppressions.ts';
import type { SuppressionReason } from '@/lib/queries/suppression-sql.ts';
import { REASON_LABELS } from './reason-labels.ts';
import { reasonRecordsHref } from './records-links.ts';

/**
 * How many recipients became suppressed since `since`, by the reason of their first event, each
 * linked to those first events in the explorer (its total there is the figure).
 */
export async function SuppressionReasons({ query, tz }: { query: SuppressionQuery; tz: string }) {
  const counts = await getSuppressionCounts(query);
  const total = Object.values(counts).reduce((a, n) => a + n, 0);
  const figure = (n: number, reason: SuppressionReason | null): ReactNode => {
    const href = reasonRecordsHref(query, reason, tz);
    if (!href) return formatCount(n);
    return (
      <Link prefetch={false} href={href} className="text-blue-700 hover:underline dark:text-blue-300">
        {formatCount(n)}
      </Link>
    );
  };
  return (
    <Panel title="Suppressions by reason">
      <dl className="flex flex-wrap gap-x-8 gap-y-2 text-sm">
        <div>
          <dt className="text-gray-500">Recipients</dt>
          <dd className="text-lg font-semibold tabular-nums" data-testid="suppressions-total">
            {figure(total, null)}
          </dd>
        </div>
        {Object.entries(REASON_LABELS).map(([reason, label]) => (
          <div key={reason}>
            <dt className="text-gray-500">{label.many}</dt>
            <dd className="text-lg font-semibold tabular-nums" data-testid={`suppressions-${reason}`}>
              {figure(counts[reason as SuppressionReason], reason as SuppressionReason)}
            </dd>
          </div>
        ))}
      </dl>
    </Panel>
  );
}
