import { formatCount } from '@/lib/acct/format.ts';

/**
 * Under a table that lists only its largest rows: how many it lists of how many there are ("Top 20
 * of 30 codes"), so its rows are not read as all of them, nor their sum as the total. Nothing when
 * every row is listed.
 */
export function TopOf({
  shown,
  total,
  what,
  children,
}: {
  shown: number;
  total: number;
  /** What the rows are, plural ("codes"); omitted where the panel's title says it. */
  what?: string;
  /** Said after it, e.g. how many records the rows listed hold. */
  children?: React.ReactNode;
}) {
  if (total <= shown) return null;
  return (
    <p className="mt-2 text-xs text-gray-500 dark:text-gray-400" data-testid="top-of">
      Top {formatCount(shown)} of {formatCount(total)}
      {what ? ` ${what}` : ''}
      {children}
    </p>
  );
}
