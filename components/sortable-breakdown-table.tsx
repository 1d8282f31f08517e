import Link from 'next/link';
import { Fragment } from 'react';
import { formatCount, formatPercent } from '@/lib/acct/format.ts';
import { RECORD_COLORS } from '@/lib/acct/record-colors.ts';
import type { CountKey, RecordType } from '@/lib/acct/types.ts';
import { outsideColumns, type SortKey, type ViewRow } from '@/lib/breakdown-view.ts';
import { COMPLAINT_LIMIT_RATES } from '@/lib/complaint-limits.ts';
import { keyLabel as shownKey } from '@/lib/filters.ts';
import { Sparkline } from './charts/sparkline.tsx';
import { CountLink } from './count-link.tsx';
import { KeyCell } from './key-cell.tsx';
import { OutsideColumnsNote, OutsideColumnsNoteRow } from './outside-columns-note.tsx';

interface Column {
  sort: SortKey;
  label: string;
  /** The count shown, and the record type its link lists (rates have no link). */
  count?: CountKey;
  type?: RecordType;
  rate?: 'bounce' | 'complaint';
}

const COLUMNS: Column[] = [
  { sort: 'total', label: 'Records' },
  { sort: 'delivered', label: 'Delivered', count: 'delivered', type: 'd' },
  { sort: 'bounced', label: 'Bounced', count: 'bounced', type: 'b' },
  { sort: 'bounceRate', label: 'Bounce rate', rate: 'bounce' },
  { sort: 'deferred', label: 'Deferred', count: 'deferred', type: 't' },
  { sort: 'complaints', label: 'Complaints', count: 'complaints', type: 'f' },
  { sort: 'complaintRate', label: 'Complaint rate', rate: 'complaint' },
];

export interface SparklineValues {
  delivered: number[];
  failed: number[];
}

const totalOf = (r: ViewRow) => Object.values(r.counts).reduce((a, b) => a + b, 0);

/**
 * A breakdown with every count linked to the records behind it, sortable by any column (the sort
 * is in the URL), a trend line per row, and the name opening the key's detail page.
 */
export function SortableBreakdownTable({
  title,
  items,
  keyLabel,
  rows,
  matched,
  sort,
  dir,
  sortHref,
  detailHref,
  recordsHref,
  sparklines,
  moreHref,
  csvHref,
}: {
  title: string;
  /** The rows in running text ("12 sending IPs"). */
  items: string;
  keyLabel: string;
  rows: ViewRow[];
  /** Rows that matched the search in all (more than shown when cut by the limit). */
  matched: number;
  sort: SortKey;
  dir: 'asc' | 'desc';
  sortHref: (sort: SortKey, dir: 'asc' | 'desc') => string;
  detailHref: (key: string) => string | null;
  /** The records explorer for one key (and one record type, or every type). */
  recordsHref: (key: string, type?: RecordType) => string;
  /** Trend lines by key: a Map, as keys are data ('__proto__' in a plain object sets its prototype). */
  sparklines?: ReadonlyMap<string, SparklineValues>;
  moreHref?: string;
  /** Every row of the breakdown (not only those shown) as CSV. */
  csvHref?: string;
}) {
  const header = (label: string, key: SortKey, align: 'left' | 'right') => {
    const active = sort === key;
    const next = active && dir === 'desc' ? 'asc' : active ? 'desc' : key === 'key' ? 'asc' : 'desc';
    return (
      <th
        scope="col"
        aria-sort={active ? (dir === 'asc' ? 'ascending' : 'descending') : 'none'}
        className={`py-1 font-medium ${align === 'right' ? 'text-right' : ''}`}
      >
        <Link
          prefetch={false}
          href={sortHref(key, next)}
          data-keep-focus={`sort-${key}`}
          className="hover:underline"
          title={`Sort by ${label.toLowerCase()}`}
        >
          {label}
          {active ? (dir === 'asc' ? ' ▲' : ' ▼') : ''}
        </Link>
      </th>
    );
  };
  return (
    <section
      aria-label={title}
      className="overflow-x-auto rounded-lg border border-gray-200 bg-white p-4 shadow-sm dark:border-gray-800 dark:bg-gray-900"
    >
      <div className="mb-2 flex items-baseline justify-between gap-4">
        <p className="text-xs text-gray-500" data-testid="rows-shown">
          {rows.length < matched
            ? `${formatCount(rows.length)} of ${formatCount(matched)} ${items}`
            : `${formatCount(matched)} ${matched === 1 ? items.replace(/s$/, '') : items}`}
          {moreHref && rows.length < matched ? (
            <>
              {' · '}
              <Link prefetch={false} href={moreHref} className="hover:underline">
                show all
              </Link>
            </>
          ) : null}
        </p>
        {csvHref ? (
          <a href={csvHref} className="text-sm text-blue-700 hover:underline dark:text-blue-300">
            Download CSV
          </a>
        ) : null}
      </div>
      <div className="@container">
        <table className="w-full text-sm tabular-nums">
          <thead className="text-left text-xs text-gray-500">
            <tr>
              {header(keyLabel, 'key', 'left')}
              {sparklines ? (
                <th scope="col" className="py-1 font-medium">
                  Trend
                </th>
              ) : null}
              {COLUMNS.map((c) => header(c.label, c.sort, 'right'))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const detail = detailHref(r.key);
              // A row of only received mail, remote bounces…: no trend of sending to draw, and its
              // records named in place of the zeros.
              const outside = outsideColumns(r.counts);
              const line = outside ? undefined : sparklines?.get(r.key);
              return (
                <Fragment key={r.key}>
                  <tr className="border-t border-gray-100 dark:border-gray-800">
                    <KeyCell name={r.key} href={detail} width="max-w-64" />
                    {sparklines ? (
                      <td className="py-1">
                        {line ? (
                          <Sparkline
                            series={[
                              {
                                label: 'delivered',
                                values: line.delivered,
                                color: RECORD_COLORS.delivered,
                                total: r.counts.delivered,
                              },
                              {
                                label: 'bounced or deferred',
                                values: line.failed,
                                color: RECORD_COLORS.bounced,
                                total: r.counts.bounced + r.counts.deferred,
                              },
                            ]}
                          />
                        ) : null}
                      </td>
                    ) : null}
                    {(outside ? COLUMNS.filter((c) => c.sort === 'total') : COLUMNS).map((c) => (
                      <td key={c.sort} className="py-1 text-right">
                        {c.rate ? (
                          formatPercent(r.rates[c.rate], c.rate === 'complaint' ? COMPLAINT_LIMIT_RATES : [])
                        ) : (
                          <CountLink
                            n={c.count ? r.counts[c.count] : totalOf(r)}
                            href={recordsHref(r.key, c.type)}
                            label={`${c.count ? `${c.label} records` : 'All records'} of ${shownKey(r.key)}`}
                          />
                        )}
                      </td>
                    ))}
                    {outside ? (
                      <td colSpan={COLUMNS.length - 1} className="py-1 text-left max-md:hidden">
                        <OutsideColumnsNote name={r.key} counts={outside} recordsHref={recordsHref} />
                      </td>
                    ) : null}
                  </tr>
                  {outside ? (
                    <OutsideColumnsNoteRow
                      colSpan={1 + (sparklines ? 1 : 0) + COLUMNS.length}
                      name={r.key}
                      counts={outside}
                      recordsHref={recordsHref}
                    />
                  ) : null}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
