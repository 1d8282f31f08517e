import Link from 'next/link';
import { BreakdownTable } from '@/components/breakdown-table.tsx';
import { CountLink } from '@/components/count-link.tsx';
import { Panel } from '@/components/panel.tsx';
import { TopOf } from '@/components/top-of.tsx';
import { VmtaCell } from '@/components/vmta-cell.tsx';
import { formatCount, wallTimeFormat } from '@/lib/acct/format.ts';
import { COUNT_LABELS } from '@/lib/acct/record-colors.ts';
import { COUNT_KEYS, type CountKey, type RecordType } from '@/lib/acct/types.ts';
import type { Filters } from '@/lib/filters.ts';
import type { Dimension } from '@/lib/queries/count-query.ts';
import { getBreakdown, topByOutcomes } from '@/lib/queries/get-breakdown.ts';
import { getRecords } from '@/lib/queries/get-records.ts';
import { DIAGNOSED_TYPES, getTopDiagnostics } from '@/lib/queries/get-top-diagnostics.ts';
import { recordsHref } from '@/lib/screen-params.ts';
import { DIMENSION_LABELS, detailHref } from '@/lib/screens.ts';
import { NoRecords } from './no-records.tsx';
import { getScreenBreakdown } from './shared-reads.ts';

/** The slice broken down by another dimension (which VirtualMTAs a domain goes through…). */
export async function SliceBreakdown({
  filters,
  by,
  query,
  dense = false,
}: {
  filters: Filters;
  by: Dimension;
  query: string;
  /** Smaller type, for a table a third of the page wide. */
  dense?: boolean;
}) {
  const { rows: all, totalRows } = await getScreenBreakdown(filters, by, Number.MAX_SAFE_INTEGER);
  const rows = topByOutcomes(all, 10);
  return (
    <BreakdownTable
      title={`By ${DIMENSION_LABELS[by]}`}
      rows={rows}
      recordsHref={(key, type) => recordsHref(filters, { type, [by]: key })}
      detailHref={(key) => detailHref(by, key, query)}
      empty={<NoRecords />}
      dense={dense}
      footer={<TopOf shown={rows.length} total={totalRows} />}
    />
  );
}

const FAILURE_KEYS: { key: CountKey; type: RecordType }[] = [
  { key: 'bounced', type: 'b' },
  { key: 'remoteBounced', type: 'rb' },
  { key: 'deferred', type: 't' },
];

const cell = 'py-1 pl-3 text-right';

/** Bounces, remote bounces and deferrals per bounce category. */
export async function BounceCategories({ filters }: { filters: Filters }) {
  const { rows } = await getBreakdown(filters, 'bounceCategory', 1000);
  const shown = rows
    .filter((r) => FAILURE_KEYS.some((f) => r.counts[f.key] > 0))
    .sort((a, b) => b.counts.bounced + b.counts.remoteBounced - (a.counts.bounced + a.counts.remoteBounced));
  return (
    <Panel title="Bounce categories">
      {shown.length === 0 ? (
        <NoRecords what="bounces or deferrals" />
      ) : (
        <table className="w-full text-sm tabular-nums">
          <thead className="text-left text-xs text-gray-500">
            <tr>
              <th scope="col" className="py-1 font-medium">
                Category
              </th>
              {FAILURE_KEYS.map((f) => (
                <th key={f.key} scope="col" className={`${cell} font-medium`}>
                  {COUNT_LABELS[f.key]}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => (
              <tr key={r.key} className="border-t border-gray-100 dark:border-gray-800">
                <th scope="row" className="py-1 text-left font-normal">
                  {r.key || '(none)'}
                </th>
                {FAILURE_KEYS.map((f) => (
                  <td key={f.key} className={cell}>
                    {r.key ? (
                      <CountLink
                        n={r.counts[f.key]}
                        href={recordsHref(filters, { type: f.type, bounceCategory: r.key })}
                        label={`${COUNT_LABELS[f.key]} records in ${r.key}`}
                      />
                    ) : (
                      formatCount(r.counts[f.key])
                    )}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Panel>
  );
}

/**
 * The most frequent diagnostics of the slice's bounces and deferrals, by template (one sample each),
 * each count linked to its records.
 */
export async function TopDiagnostics({ filters: window, tz }: { filters: Filters; tz: string }) {
  const { rows, from, totalRows } = await getTopDiagnostics(window, 10);
  const time = wallTimeFormat(tz, false);
  // Read from raw records, the counts start where those are kept (RAW_RETENTION_DAYS) when the
  // window starts before: said so, and each count opens the records of that same span.
  const clipped = from.getTime() > window.from.getTime();
  const noneKept = from.getTime() >= window.to.getTime();
  const filters = clipped ? { ...window, from } : window;
  return (
    <Panel title="Top diagnostics">
      {clipped ? (
        <p
          className="mb-2 rounded bg-amber-50 px-2 py-1 text-sm text-amber-900 dark:bg-amber-950/40 dark:text-amber-100"
          data-testid="diagnostics-retention"
        >
          {noneKept
            ? `Raw records are kept from ${time.format(from)} (${tz}) on (RAW_RETENTION_DAYS): none of this range's are, so its diagnostics cannot be counted here.`
            : `Counted from the raw records kept, from ${time.format(from)} (${tz}) on (RAW_RETENTION_DAYS): this range's records before then are not in these counts.`}
        </p>
      ) : null}
      {rows.length === 0 ? (
        noneKept ? null : (
          <NoRecords what="bounces or deferrals" />
        )
      ) : (
        <table className="w-full text-sm tabular-nums">
          <thead className="text-left text-xs text-gray-500">
            <tr>
              <th scope="col" className="py-1 font-medium">
                Diagnostic
              </th>
              {DIAGNOSED_TYPES.map((t) => (
                <th key={t} scope="col" className={`${cell} font-medium`}>
                  {COUNT_LABELS[COUNT_KEYS[t]]}
                </th>
              ))}
              <th scope="col" className={`${cell} font-medium`}>
                Last seen ({tz})
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key} className="border-t border-gray-100 align-top dark:border-gray-800">
                <th scope="row" className="max-w-xl py-1 text-left font-normal">
                  {r.key ? (
                    <>
                      <span className="break-words">{r.template}</span>
                      <details className="text-xs text-gray-600 dark:text-gray-400">
                        <summary className="cursor-pointer">
                          {r.sampleOf === 'slice'
                            ? 'a line as logged'
                            : 'a line as logged (the first seen, by any sender)'}
                        </summary>
                        <code className="mt-1 block break-all">{r.sample}</code>
                      </details>
                    </>
                  ) : (
                    '(no diagnostic)'
                  )}
                </th>
                {DIAGNOSED_TYPES.map((t) => {
                  const n = r.counts[COUNT_KEYS[t]];
                  return (
                    <td key={t} className={cell}>
                      {n > 0 ? (
                        <CountLink
                          n={n}
                          href={recordsHref(filters, { type: t, template: r.key })}
                          label={`${COUNT_LABELS[COUNT_KEYS[t]]} records with this diagnostic`}
                        />
                      ) : (
                        '–'
                      )}
                    </td>
                  );
                })}
                <td className={`${cell} whitespace-nowrap text-xs text-gray-500`}>
                  {time.format(new Date(r.lastSeen))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <TopOf shown={rows.length} total={totalRows} what="reasons" />
    </Panel>
  );
}

/** The newest records of the slice, with a link to all of them in the explorer. */
export async function RecentRecords({ filters, tz }: { filters: Filters; tz: string }) {
  const { records } = await getRecords({ filters, types: [], limit: 10 });
  const time = wallTimeFormat(tz);
  return (
    <Panel
      title="Recent records"
      actions={
        <Link
          prefetch={false}
          href={recordsHref(filters, {})}
          className="text-xs text-gray-500 hover:underline"
        >
          All records →
        </Link>
      }
    >
      {records.length === 0 ? (
        <NoRecords />
      ) : (
        <table className="w-full text-sm">
          <thead className="text-left text-xs text-gray-500">
            <tr>
              <th scope="col" className="py-1 font-medium">
                Time ({tz})
              </th>
              <th scope="col" className="py-1 font-medium">
                Type
              </th>
              <th scope="col" className="py-1 font-medium">
                Recipient
              </th>
              <th scope="col" className="py-1 font-medium">
                VirtualMTA
              </th>
              <th scope="col" className="py-1 font-medium">
                Diagnostic
              </th>
            </tr>
          </thead>
          <tbody>
            {records.map((r) => (
              <tr key={String(r.id)} className="border-t border-gray-100 align-top dark:border-gray-800">
                <td className="whitespace-nowrap py-1 tabular-nums">
                  {time.format(new Date(String(r.timeLogged)))}
                </td>
                <td className="py-1" title={COUNT_LABELS[COUNT_KEYS[r.type as RecordType]]}>
                  {String(r.type)}
                </td>
                <td className="py-1">{String(r.rcpt ?? r.rcptDomain ?? '')}</td>
                <td className="py-1">
                  <VmtaCell vmta={r.vmta} pool={r.vmtaPool} />
                </td>
                <td className="max-w-md truncate py-1" title={String(r.dsnDiag ?? '')}>
                  {String(r.dsnDiag ?? '')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Panel>
  );
}
