import { Fragment } from 'react';
import { formatPercent } from '@/lib/acct/format.ts';
import type { RecordType } from '@/lib/acct/types.ts';
import { outsideColumns } from '@/lib/breakdown-view.ts';
import { keyLabel } from '@/lib/filters.ts';
import type { BreakdownRow } from '@/lib/queries/get-breakdown.ts';
import { CountLink } from './count-link.tsx';
import { KeyCell } from './key-cell.tsx';
import { OutsideColumnsNote, OutsideColumnsNoteRow } from './outside-columns-note.tsx';

/** A "top N" table: counts and rates per key; each count links to the records behind it. */
export function BreakdownTable({
  title,
  rows,
  recordsHref,
  detailHref,
  empty,
  footer,
  dense = false,
}: {
  title: string;
  /**
   * Smaller type, for a table a third of the page wide (the overview's tops): at the page's full
   * width its six columns were ~40 px wider than the panel, which clipped Complaints behind a
   * scrollbar.
   */
  dense?: boolean;
  rows: BreakdownRow[];
  /** The records explorer for one key of this table and one record type. */
  recordsHref: (key: string, type: RecordType) => string;
  /** The key's own page, if it has one. */
  detailHref?: (key: string) => string | null;
  /** Shown instead of the table when there are no rows. */
  empty?: React.ReactNode;
  footer?: React.ReactNode;
}) {
  // An empty key (no value in the files) is the "(none)" row, which the filter NONE selects.
  const count = (key: string, n: number, type: 'd' | 'b' | 't' | 'f', label: string) => (
    <CountLink n={n} href={recordsHref(key, type)} label={`${label} records of ${keyLabel(key)}`} />
  );
  return (
    <section
      aria-label={title}
      className="min-w-0 overflow-x-auto rounded-lg border border-gray-200 bg-white p-4 shadow-sm dark:border-gray-800 dark:bg-gray-900"
    >
      <h2 className="mb-2 text-sm font-medium text-gray-600 dark:text-gray-300">{title}</h2>
      {rows.length === 0 ? (
        (empty ?? <p className="text-sm text-gray-500">No records in this range.</p>)
      ) : (
        <div className="@container">
          <table className={`w-full tabular-nums ${dense ? 'dense text-xs' : 'text-sm'}`}>
            <thead className="text-left text-xs text-gray-500">
              <tr>
                <th scope="col" className="py-1 font-medium">
                  Name
                </th>
                <th scope="col" className="py-1 text-right font-medium">
                  Delivered
                </th>
                <th scope="col" className="py-1 text-right font-medium">
                  Bounced
                </th>
                <th scope="col" className="py-1 text-right font-medium">
                  Bounce rate
                </th>
                <th scope="col" className="py-1 text-right font-medium">
                  Deferred
                </th>
                <th scope="col" className="py-1 text-right font-medium">
                  Complaints
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => {
                const detail = detailHref?.(r.key);
                const outside = outsideColumns(r.counts);
                return (
                  <Fragment key={r.key}>
                    <tr className="border-t border-gray-100 dark:border-gray-800">
                      <KeyCell name={r.key} href={detail} />
                      {outside ? (
                        <td colSpan={5} className="py-1 text-left max-md:hidden">
                          <OutsideColumnsNote name={r.key} counts={outside} recordsHref={recordsHref} />
                        </td>
                      ) : (
                        <>
                          <td className="py-1 text-right">
                            {count(r.key, r.counts.delivered, 'd', 'Delivered')}
                          </td>
                          <td className="py-1 text-right">
                            {count(r.key, r.counts.bounced, 'b', 'Bounced')}
                          </td>
                          <td className="py-1 text-right">{formatPercent(r.rates.bounce)}</td>
                          <td className="py-1 text-right">
                            {count(r.key, r.counts.deferred, 't', 'Deferred')}
                          </td>
                          <td className="py-1 text-right">
                            {count(r.key, r.counts.complaints, 'f', 'Complaints')}
                          </td>
                        </>
                      )}
                    </tr>
                    {outside ? (
                      <OutsideColumnsNoteRow
                        colSpan={6}
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
      )}
      {footer}
    </section>
  );
}
