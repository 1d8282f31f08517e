import Link from 'next/link';
import { CountLink } from '@/components/count-link.tsx';
import { KeyCell } from '@/components/key-cell.tsx';
import { Panel } from '@/components/panel.tsx';
import { formatCount, formatPercent } from '@/lib/acct/format.ts';
import type { Counts } from '@/lib/acct/types.ts';
import { COMPLAINT_LIMIT_RATES } from '@/lib/complaint-limits.ts';
import { filterParamValue, keyLabel } from '@/lib/filters.ts';
import {
  getMatrix,
  MATRIX_METRICS,
  type MatrixMetric,
  METRIC_SPECS,
  markCell,
} from '@/lib/queries/get-matrix.ts';
import { carriedQuery, recordsHref, type Screen } from '@/lib/screen-params.ts';
import { detailHref, SCREENS, type ScreenDimension } from '@/lib/screens.ts';
import { withSearchParams } from '@/lib/search-params.ts';
import { NoRecords } from './no-records.tsx';

/** The sending side's screens that show their keys against the providers. */
export const MATRIX_DIMENSIONS: readonly ScreenDimension[] = ['pool', 'vmta', 'sourceIp'];

const METRIC_TITLES: Record<MatrixMetric, string> = {
  deferral: 'Deferral rate',
  bounce: 'Bounce rate',
  complaint: 'Complaint rate',
};

/** Percentage points: 0.05 → "5 points", 0.002 → "0.2 points". */
const formatPoints = (p: number) => `${Number((p * 100).toFixed(3))} points`;

const MARK_CLASS = {
  high: 'bg-red-100 text-red-950 dark:bg-red-950/60 dark:text-red-100',
  notable: 'bg-amber-50 text-amber-950 dark:bg-amber-950/40 dark:text-amber-100',
  'low-volume': 'text-gray-400 dark:text-gray-500',
} as const;

/**
 * A sending key × provider grid (pools, VirtualMTAs or sending IPs against the providers with the
 * most attempts): each cell the metric's rate (deferral, bounce or complaint, `matrix=`), opening
 * the key's page for that provider (its reasons), and the records behind it: "why is Yahoo
 * deferring pool-b" at a glance. Every count opens exactly its records.
 */
export async function ProviderMatrix({
  dim,
  screen,
  metric,
  params,
}: {
  dim: ScreenDimension;
  screen: Screen;
  metric: MatrixMetric;
  params: URLSearchParams;
}) {
  const { filters } = screen;
  const spec = METRIC_SPECS[metric];
  const matrix = await getMatrix(filters, dim, 'provider');
  const title = `${SCREENS[dim].title} by provider`;
  const toggle = (
    <nav aria-label="Rate" className="flex rounded border border-gray-300 text-xs dark:border-gray-700">
      {MATRIX_METRICS.map((m) => (
        <Link
          prefetch={false}
          key={m}
          href={`${withSearchParams(params, { matrix: m === 'deferral' ? null : m, cursor: null })}#by-provider`}
          aria-current={m === metric ? 'true' : undefined}
          className={`px-2 py-0.5 ${m === metric ? 'bg-gray-900 text-white dark:bg-gray-100 dark:text-gray-900' : 'hover:bg-gray-100 dark:hover:bg-gray-800'}`}
        >
          {METRIC_TITLES[m]}
        </Link>
      ))}
    </nav>
  );
  if (matrix.rows.length === 0 || matrix.columns.length === 0) {
    return (
      <Panel title={title} actions={toggle}>
        <NoRecords />
      </Panel>
    );
  }
  const carried = carriedQuery(params);
  const noun = SCREENS[dim].noun;
  /** The rate of a slice, its events and its base, each base and event count linked. */
  const rateCell = (c: Counts, slice: Record<string, string>, name: string, drill: string | null) => {
    const events = spec.events(c);
    const base = spec.base(c);
    if (base === 0 && events === 0) return <span className="text-gray-400">–</span>;
    const rate = base === 0 ? null : events / base;
    const rateText = formatPercent(rate, metric === 'complaint' ? COMPLAINT_LIMIT_RATES : []);
    return (
      <>
        <div className="font-medium tabular-nums">
          {drill ? (
            <Link prefetch={false} href={drill} className="hover:underline" title={`${name}: its page`}>
              {rateText}
            </Link>
          ) : (
            rateText
          )}
        </div>
        <div className="text-xs tabular-nums text-gray-500 dark:text-gray-400">
          {events > 0 ? (
            <CountLink
              n={events}
              href={recordsHref(filters, { ...slice, type: [...spec.eventTypes] })}
              label={`${METRIC_TITLES[metric].replace(' rate', '')} records of ${name}`}
            />
          ) : (
            '0'
          )}{' '}
          of{' '}
          {base > 0 ? (
            <CountLink
              n={base}
              href={recordsHref(filters, { ...slice, type: [...spec.baseTypes] })}
              label={`${metric === 'complaint' ? 'Delivered' : metric === 'bounce' ? 'Delivered and bounced' : 'Attempted'} records of ${name}`}
            />
          ) : (
            '0'
          )}
        </div>
      </>
    );
  };
  return (
    <Panel
      title={title}
      actions={
        <div className="flex flex-wrap items-center gap-2">
          <span className="text-xs text-gray-500">
            {spec.label}: {spec.definition}
          </span>
          {toggle}
        </div>
      }
    >
      <table className="w-full text-sm" data-testid="provider-matrix">
        <thead className="text-left text-xs text-gray-500">
          <tr>
            <th className="py-1 pr-2 font-medium">{noun}</th>
            <th className="py-1 pr-2 text-right font-medium">All providers</th>
            {matrix.columns.map((c) => (
              <th key={c.key} className="py-1 pr-2 text-right font-medium">
                {keyLabel(c.key)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {matrix.rows.map((r) => {
            const rowName = `${noun} ${keyLabel(r.key)}`;
            const drill = (provider: string) => {
              const q = new URLSearchParams(carried);
              q.set('provider', filterParamValue(provider));
              return detailHref(dim, r.key, q.toString());
            };
            return (
              <tr key={r.key} className="border-t border-gray-100 align-top dark:border-gray-800">
                <KeyCell name={r.key} href={detailHref(dim, r.key, carried)} width="max-w-48 pr-2" />
                <td className="py-1 pr-2 text-right">
                  {rateCell(r.counts, { [dim]: r.key }, rowName, null)}
                </td>
                {matrix.columns.map((c) => {
                  const cell = r.cells.get(c.key);
                  const mark = cell ? markCell(metric, cell, c.counts) : null;
                  return (
                    <td
                      key={c.key}
                      className={`rounded py-1 pr-2 text-right ${mark ? MARK_CLASS[mark] : ''}`}
                      data-mark={mark ?? undefined}
                      title={
                        mark === 'low-volume' ? `fewer than ${formatCount(spec.minBase)} to rate` : undefined
                      }
                    >
                      {cell ? (
                        rateCell(
                          cell,
                          { [dim]: r.key, provider: c.key },
                          `${rowName} at ${keyLabel(c.key)}`,
                          drill(c.key),
                        )
                      ) : (
                        <span className="text-gray-400">–</span>
                      )}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
        <tfoot>
          <tr className="border-t-2 border-gray-200 align-top dark:border-gray-700">
            <th scope="row" className="py-1 pr-2 text-left font-normal text-gray-600 dark:text-gray-300">
              All {SCREENS[dim].items}
            </th>
            <td className="py-1 pr-2 text-right" />
            {matrix.columns.map((c) => (
              <td key={c.key} className="py-1 pr-2 text-right">
                {rateCell(
                  c.counts,
                  { provider: c.key },
                  `${keyLabel(c.key)} over all ${SCREENS[dim].items}`,
                  null,
                )}
              </td>
            ))}
          </tr>
        </tfoot>
      </table>
      <p className="mt-2 flex flex-wrap gap-x-3 gap-y-1 text-xs text-gray-500" data-testid="matrix-legend">
        <span>
          <span className={`rounded px-1 ${MARK_CLASS.high}`}>red</span>: {formatPoints(spec.points)} or more
          over the provider’s rate over all {SCREENS[dim].items} (last row), and 1.5 × it
        </span>
        <span>
          <span className={`rounded px-1 ${MARK_CLASS.notable}`}>amber</span>: {formatPoints(spec.points / 2)}{' '}
          and 1.25 ×
        </span>
        <span>
          <span className={MARK_CLASS['low-volume']}>grey</span>: fewer than {formatCount(spec.minBase)}{' '}
          {metric === 'complaint' ? 'deliveries' : metric === 'bounce' ? 'delivered + bounced' : 'attempts'},
          not marked
        </span>
      </p>
      {matrix.moreRows > 0 || matrix.moreColumns > 0 ? (
        <p className="mt-2 text-xs text-gray-500" data-testid="matrix-more">
          {[
            matrix.moreColumns > 0
              ? `${formatCount(matrix.moreColumns)} more ${matrix.moreColumns === 1 ? 'provider' : 'providers'} with fewer attempts are not shown (they count in “All providers”)`
              : '',
            matrix.moreRows > 0
              ? `${formatCount(matrix.moreRows)} more ${SCREENS[dim].items} with fewer attempts are not shown`
              : '',
          ]
            .filter(Boolean)
            .join('; ')}
          .
        </p>
      ) : null}
    </Panel>
  );
}
