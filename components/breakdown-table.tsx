import Link from 'next/link';
import { formatCount, formatPercent } from '@/lib/acct/format.ts';
import type { BreakdownRow } from '@/lib/queries/get-breakdown.ts';

/** A "top N" table: counts and rates per key; each count links to the records behind it. */
export function BreakdownTable({
  title,
  rows,
  recordsHref,
}: {
  title: string;
  rows: BreakdownRow[];
  /** The records explorer for one key of this table. */
  recordsHref: (key: string) => string;
}) {
  return (
    <section
      aria-label={title}
      className="rounded-lg border border-gray-200 bg-white p-4 shadow-sm dark:border-gray-800 dark:bg-gray-900"
    >
      <h2 className="mb-2 text-sm font-medium text-gray-600 dark:text-gray-300">{title}</h2>
      {rows.length === 0 ? (
        <p className="text-sm text-gray-500">No records in this range.</p>
      ) : (
        <table className="w-full text-sm tabular-nums">
          <thead className="text-left text-xs text-gray-500">
            <tr>
              <th className="py-1 font-medium">Name</th>
              <th className="py-1 text-right font-medium">Delivered</th>
              <th className="py-1 text-right font-medium">Bounced</th>
              <th className="py-1 text-right font-medium">Bounce rate</th>
              <th className="py-1 text-right font-medium">Complaints</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key} className="border-t border-gray-100 dark:border-gray-800">
                <td className="max-w-48 truncate py-1">{r.key || '(none)'}</td>
                <td className="py-1 text-right">
                  {/* An empty key (no value in the files) has no filter to drill down with yet. */}
                  {r.key ? (
                    <Link className="hover:underline" href={recordsHref(r.key)}>
                      {formatCount(r.counts.delivered)}
                    </Link>
                  ) : (
                    formatCount(r.counts.delivered)
                  )}
                </td>
                <td className="py-1 text-right">{formatCount(r.counts.bounced)}</td>
                <td className="py-1 text-right">{formatPercent(r.rates.bounce)}</td>
                <td className="py-1 text-right">{formatCount(r.counts.complaints)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
