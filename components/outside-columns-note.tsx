import { Fragment } from 'react';
import { COUNT_LABELS } from '@/lib/acct/record-colors.ts';
import type { CountKey, RecordType } from '@/lib/acct/types.ts';
import type { OutsideCount } from '@/lib/breakdown-view.ts';
import { keyLabel } from '@/lib/filters.ts';
import { CountLink } from './count-link.tsx';

/** How the note names n records of each count (COUNT_LABELS name columns, not records). */
const NOUNS: Partial<Record<CountKey, [one: string, many: string]>> = {
  received: ['received', 'received'],
  remoteBounced: ['remote bounce', 'remote bounces'],
  remoteStatus: ['remote status', 'remote statuses'],
  queueDeferred: ['queue deferral', 'queue deferrals'],
};

/**
 * In place of a breakdown row's zeros (outsideColumns): what the row does count, each number
 * linked to its records, so "(none)" of the VirtualMTAs reads as received mail and remote bounces
 * rather than as a row of zeros.
 */
export function OutsideColumnsNote({
  name,
  counts,
  recordsHref,
}: {
  name: string;
  counts: OutsideCount[];
  recordsHref: (key: string, type: RecordType) => string;
}) {
  return (
    <span className="text-xs text-gray-500 dark:text-gray-400" data-testid="outside-columns">
      No deliveries, bounces, deferrals or complaints:{' '}
      {counts.map((c, i) => {
        const [one, many] = NOUNS[c.key] ?? [c.key, c.key];
        return (
          <Fragment key={c.key}>
            {i > 0 ? ', ' : ''}
            <CountLink
              n={c.n}
              href={recordsHref(name, c.type)}
              label={`${COUNT_LABELS[c.key]} records of ${keyLabel(name)}`}
            />{' '}
            {c.n === 1 ? one : many}
          </Fragment>
        );
      })}
    </span>
  );
}

/**
 * The note of an outsideColumns row on a narrow screen, on a line of its own under the row, as
 * wide as the panel shows and held there when the table scrolls sideways: in the row's own cells
 * it began where the columns of a table wider than the phone began, off the panel's right edge, to
 * scroll to. The row's own note cell is hidden there (max-md:hidden). Needs the table inside a
 * query container (@container) as wide as the panel's content.
 */
export function OutsideColumnsNoteRow({
  colSpan,
  ...note
}: { colSpan: number } & React.ComponentProps<typeof OutsideColumnsNote>) {
  return (
    <tr className="md:hidden">
      <td colSpan={colSpan} className="pb-1 text-left">
        <div className="sticky left-0 max-w-[100cqw]">
          <OutsideColumnsNote {...note} />
        </div>
      </td>
    </tr>
  );
}
