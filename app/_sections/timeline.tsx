import { Panel } from '@/components/panel.tsx';
import { RecordsOverTime } from '@/components/records-over-time.tsx';
import { totalOf } from '@/lib/queries/counts.ts';

import type { Screen } from '@/lib/screen-params.ts';
import { NoRecords } from './no-records.tsx';
import { getScreenSeries } from './shared-reads.ts';

/** Every record type per bucket of the screen's range; a bucket opens its records. */
export async function Timeline({ screen, filterQuery }: { screen: Screen; filterQuery: string }) {
  const { points, tz, from, to, bucket } = await getScreenSeries(screen.filters, screen.bucket, screen.tz);
  const empty = points.every((p) => totalOf(p.counts) === 0);
  return (
    <Panel
      title="Records over time"
      actions={
        <span className="text-xs text-gray-500">
          per {bucket}, {tz}
        </span>
      }
    >
      {empty ? <NoRecords /> : null}
      <RecordsOverTime
        points={points}
        tz={tz}
        bucket={bucket}
        from={from}
        to={to}
        filterQuery={filterQuery}
      />
    </Panel>
  );
}
