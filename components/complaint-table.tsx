import { formatCount, formatPercent } from '@/lib/acct/format.ts';
import type { ComplaintStatus } from '@/lib/complaint-limits.ts';
import { COMPLAINT_LIMIT_RATES } from '@/lib/complaint-limits.ts';
import { keyLabel } from '@/lib/filters.ts';
import { CountLink } from './count-link.tsx';
import { KeyCell } from './key-cell.tsx';

export interface ComplaintRow {
  key: string;
  delivered: number;
  complaints: number;
  rate: number | null;
  status: ComplaintStatus;
}

const STATUS: Record<ComplaintStatus, { label: string; className: string }> = {
  ok: { label: 'under 0.1 %', className: 'text-green-700 dark:text-green-400' },
  warning: {
    label: 'over 0.1 %',
    className: 'rounded bg-amber-100 px-1 text-amber-900 dark:bg-amber-900 dark:text-amber-100',
  },
  critical: { label: 'over 0.3 %', className: 'rounded bg-red-600 px-1 text-white' },
  'low-volume': { label: 'too few deliveries to judge', className: 'text-gray-500' },
  'no-delivery': { label: 'no deliveries', className: 'text-gray-500' },
};

/** Complaints and complaint rate per key, with where each stands against the limits. */
export function ComplaintTable({
  title,
  rows,
  recordsHref,
  detailHref,
  empty,
  footer,
}: {
  title: string;
  rows: ComplaintRow[];
  /** The records explorer on a key's records of one type (`f` complaints, `d` deliveries). */
  recordsHref: (key: string, type: 'd' | 'f') => string;
  /** The key's detail page, where it has one. */
  detailHref?: (key: string) => string | null;
  empty: React.ReactNode;
  /** Under the table: what it leaves out. */
  footer?: React.ReactNode;
}) {
  return (
    <section
      aria-label={title}
      className="min-w-0 overflow-x-auto rounded-lg border border-gray-200 bg-white p-4 shadow-sm dark:border-gray-800 dark:bg-gray-900"
    >
      <h2 className="mb-2 text-sm font-medium text-gray-600 dark:text-gray-300">{title}</h2>
      {rows.length === 0 ? (
        empty
      ) : (
        <table className="w-full text-sm tabular-nums">
          <thead className="text-left text-xs text-gray-500">
            <tr>
              <th scope="col" className="py-1 font-medium">
                Name
              </th>
              <th scope="col" className="py-1 text-right font-medium">
                Delivered
              </th>
              <th scope="col" className="py-1 text-right font-medium">
                Complaints
              </th>
              <th scope="col" className="py-1 text-right font-medium">
                Rate
              </th>
              <th scope="col" className="py-1 text-right font-medium">
                Status
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key} className="border-t border-gray-100 dark:border-gray-800">
                <KeyCell name={r.key} href={detailHref?.(r.key)} />
                <td className="py-1 text-right">
                  {r.delivered > 0 ? (
                    <CountLink
                      n={r.delivered}
                      href={recordsHref(r.key, 'd')}
                      label={`Delivered records of ${keyLabel(r.key)}`}
                    />
                  ) : (
                    formatCount(r.delivered)
                  )}
                </td>
                <td className="py-1 text-right">
                  <CountLink
                    n={r.complaints}
                    href={recordsHref(r.key, 'f')}
                    label={`Complaint records of ${keyLabel(r.key)}`}
                  />
                </td>
                <td className="py-1 text-right">{formatPercent(r.rate, COMPLAINT_LIMIT_RATES)}</td>
                <td className="py-1 text-right text-xs">
                  <span className={STATUS[r.status].className}>{STATUS[r.status].label}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {rows.length > 0 ? footer : null}
    </section>
  );
}
