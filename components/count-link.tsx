import Link from 'next/link';
import { formatCount } from '@/lib/acct/format.ts';
import { withShownCount } from '@/lib/shown-count.ts';

/**
 * A count linked to the records behind it (`href`: the records explorer on exactly them). A dotted
 * underline says it opens something, without turning every number of a table blue. Its name is
 * `label` and the count: a link's aria-label is all a screen reader reads of it, and the label
 * alone left every linked count of the dashboard unread ("Delivered records of Yahoo", no number).
 */
export function CountLink({ n, href, label }: { n: number; href: string; label: string }) {
  return (
    <Link
      prefetch={false}
      className="underline decoration-gray-400 decoration-dotted underline-offset-2 hover:decoration-solid dark:decoration-gray-500"
      // The explorer says so when its total is no longer this count (withShownCount).
      href={withShownCount(href, n)}
      aria-label={`${label}: ${formatCount(n)}`}
    >
      {formatCount(n)}
    </Link>
  );
}
