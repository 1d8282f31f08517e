import Link from 'next/link';
import { keyLabel } from '@/lib/filters.ts';

/**
 * A table row's header cell naming its key: a link to the key's detail page when it has one
 * (detailHref), NONE ("(none)") for the empty key (records without that field).
 */
export function KeyCell({
  name,
  href,
  width = 'max-w-48',
}: {
  name: string;
  href?: string | null;
  width?: string;
}) {
  return (
    <th scope="row" className={`${width} truncate py-1 text-left font-normal`}>
      {href ? (
        <Link prefetch={false} href={href} className="text-blue-700 hover:underline dark:text-blue-300">
          {keyLabel(name)}
        </Link>
      ) : (
        keyLabel(name)
      )}
    </th>
  );
}
