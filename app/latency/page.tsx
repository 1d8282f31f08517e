import Link from 'next/link';
import { CountLink } from '@/components/count-link.tsx';
import { KeyCell } from '@/components/key-cell.tsx';
import { KpiCard } from '@/components/kpi-card.tsx';
import { LatencyChart } from '@/components/latency-chart.tsx';
import { Panel } from '@/components/panel.tsx';
import { ParamErrorMessage } from '@/components/param-error.tsx';
import { TopOf } from '@/components/top-of.tsx';
import { formatCount, formatDuration, formatPercentileBound } from '@/lib/acct/format.ts';
import { isBeyondBounds, type LatencyPercentile, type LatencyStats } from '@/lib/acct/latency.ts';
import { keyLabel, ParamError } from '@/lib/filters.ts';
import { parseKeptScreen } from '@/lib/kept-screen.ts';
import { getLatency } from '@/lib/queries/get-latency.ts';
import { getSummary } from '@/lib/queries/get-summary.ts';
import type { InsightDimension } from '@/lib/queries/insight-query.ts';
import { bucketRecordsQuery, carriedQuery, recordsHref, type Screen } from '@/lib/screen-params.ts';
import { DIMENSION_LABELS, detailHref } from '@/lib/screens.ts';
import { toSearchParams } from '@/lib/search-params.ts';
import { insightPanel } from '../_sections/insight-guard.tsx';
import { NoRecords } from '../_sections/no-records.tsx';
import { ScreenHeader } from '../_sections/screen-header.tsx';
import { getScreenLatencyBreakdowns } from '../_sections/shared-reads.ts';
import { Streamed } from '../_sections/streamed.tsx';

export const dynamic = 'force-dynamic';

/**
 * A percentile as read from the histograms: the upper bound of its bucket, "at most" (≤), in the
 * cards and the tables alike (the tables showed the bare bound, QA); in the overflow bucket, more
 * than the last bound (> 3 days; it read "≤ 3.0 d" for deliveries of 4 days, QA).
 */
function percentileText(stats: LatencyStats, p: LatencyPercentile): string {
  const ms = stats[p];
  if (ms === null) return '–';
  return formatPercentileBound(ms, isBeyondBounds(stats, p));
}
export const metadata = { title: 'Latency · acctscope' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const BY: InsightDimension[] = ['provider', 'domain', 'vmta', 'pool'];
const cell = 'py-1 text-right';

/** The records explorer's filter for the deliveries these counts count (get-records.ts). */
const TIMED = { latency: 'timed' };

async function LatencyOverview({ screen }: { screen: Screen }) {
  return insightPanel('Delivery latency', async () => {
    const [{ overall, points }, summary] = await Promise.all([
      getLatency(screen.filters, screen.bucket, screen.tz),
      getSummary(screen.filters),
    ]);
    // A delivery without a usable timeQueued (empty, or a value that is no time) has no latency:
    // say how many, so the percentiles' base is traceable to the delivered count.
    const delivered = summary.counts.delivered;
    const untimed = delivered - overall.count;
    return (
      <>
        <p className="mb-2 text-sm text-gray-600 dark:text-gray-300" data-testid="latency-base">
          {delivered === 0
            ? // The filters' slice, not the range: with provider=Nope it read as if nothing was delivered.
              'No deliveries in this range with these filters.'
            : untimed === 0
              ? delivered === 1
                ? 'The one delivery in this range is timed.'
                : `Every one of the ${formatCount(delivered)} deliveries in this range is timed.`
              : `${formatCount(overall.count)} of ${formatCount(delivered)} deliveries timed: ${formatCount(untimed)} ${untimed === 1 ? 'has' : 'have'} no valid timeQueued (or ${untimed === 1 ? 'was' : 'were'} ingested before latency was kept) and ${untimed === 1 ? 'is' : 'are'} not in the percentiles.`}
        </p>
        <div className="grid grid-cols-2 gap-4 md:grid-cols-4">
          <KpiCard label="Deliveries timed" value={overall.count} href={recordsHref(screen.filters, TIMED)} />
          {(['p50', 'p90', 'p99'] as const).map((p) => (
            <section
              key={p}
              aria-label={p}
              className="rounded-lg border border-gray-200 bg-white p-4 shadow-sm dark:border-gray-800 dark:bg-gray-900"
            >
              <h2 className="text-sm font-medium text-gray-500 dark:text-gray-400">{p} latency</h2>
              <p className="mt-1 text-2xl font-semibold tabular-nums" data-testid={`latency-${p}`}>
                {percentileText(overall, p)}
              </p>
              {overall[p] !== null ? (
                // The deliveries beyond the percentile: those in the histogram's buckets above
                // its bound (in the overflow bucket: above the last one, as the percentile is).
                <Link
                  prefetch={false}
                  href={recordsHref(screen.filters, { ...TIMED, latencyOver: String(overall[p]) })}
                  className="mt-1 block text-xs text-blue-700 hover:underline dark:text-blue-300"
                >
                  Slower than {formatDuration(overall[p])} →
                </Link>
              ) : null}
            </section>
          ))}
        </div>
        <div className="mt-4">
          <Panel
            title="Latency over time"
            actions={
              <span className="text-xs text-gray-500">
                per {screen.bucket}, {screen.tz}
              </span>
            }
          >
            {overall.count === 0 ? <NoRecords what="timed deliveries" /> : null}
            <LatencyChart
              points={points}
              tz={screen.tz}
              bucket={screen.bucket}
              from={screen.filters.from.toISOString()}
              to={screen.filters.to.toISOString()}
              filterQuery={bucketRecordsQuery(screen.filters, TIMED)}
            />
          </Panel>
        </div>
      </>
    );
  });
}

async function LatencyTable({ screen, by, query }: { screen: Screen; by: InsightDimension; query: string }) {
  const title = `By ${DIMENSION_LABELS[by]}`;
  return insightPanel(title, async () => {
    const { rows, totalRows } = (await getScreenLatencyBreakdowns(screen.filters, BY, 15)).get(by) ?? {
      rows: [],
      totalRows: 0,
    };
    return (
      <Panel title={title}>
        {rows.length === 0 ? (
          <NoRecords what="timed deliveries" />
        ) : (
          <table className="w-full text-sm tabular-nums">
            <thead className="text-left text-xs text-gray-500">
              <tr>
                <th scope="col" className="py-1 font-medium">
                  Name
                </th>
                <th scope="col" className={`${cell} font-medium`}>
                  Deliveries
                </th>
                <th scope="col" className={`${cell} font-medium`}>
                  p50
                </th>
                <th scope="col" className={`${cell} font-medium`}>
                  p90
                </th>
                <th scope="col" className={`${cell} font-medium`}>
                  p99
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.key} className="border-t border-gray-100 dark:border-gray-800">
                  <KeyCell name={r.key} href={detailHref(by, r.key, query)} />
                  <td className={cell}>
                    {r.count > 0 ? (
                      <CountLink
                        n={r.count}
                        href={recordsHref(screen.filters, { [by]: r.key, ...TIMED })}
                        label={`Timed deliveries of ${keyLabel(r.key)}`}
                      />
                    ) : (
                      formatCount(r.count)
                    )}
                  </td>
                  <td className={cell}>{percentileText(r, 'p50')}</td>
                  <td className={cell}>{percentileText(r, 'p90')}</td>
                  <td className={cell}>{percentileText(r, 'p99')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <TopOf shown={rows.length} total={totalRows} />
      </Panel>
    );
  });
}

/** Delivery latency (logged − queued of deliveries) from the rollups' histograms. */
export default async function LatencyPage({ searchParams }: { searchParams: SearchParams }) {
  const params = toSearchParams(await searchParams);
  let screen: Screen;
  try {
    screen = await parseKeptScreen(params);
  } catch (error) {
    if (!(error instanceof ParamError)) throw error;
    return <ParamErrorMessage error={error} />;
  }
  const key = params.toString();
  const query = carriedQuery(params);
  return (
    <>
      <ScreenHeader title="Delivery latency" screen={screen} stateKey={key} />
      <p className="mb-4 text-sm text-gray-500">
        Time from queueing to delivery (timeLogged − timeQueued of each delivery), kept as histograms in the
        rollups. A percentile reads &quot;that share of deliveries took at most this long&quot;: the upper
        bound of its histogram bucket: exact up to 4 s (PowerMTA logs whole seconds), beyond that at most one
        step (×1.5) above the exact value.
      </p>
      <Streamed title="Delivery latency" stateKey={`lat${key}`} height="h-80">
        <LatencyOverview screen={screen} />
      </Streamed>
      <div className="mt-4 grid gap-4 lg:grid-cols-2">
        {BY.map((by) => (
          <Streamed key={by} title={`By ${by}`} stateKey={`${by}${key}`} height="h-48">
            <LatencyTable screen={screen} by={by} query={query} />
          </Streamed>
        ))}
      </div>
    </>
  );
}
