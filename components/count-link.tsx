import Link from 'next/link';
import { formatCount } from '@/lib/acct/format.ts';

/** A count linked to the records behind it (`href`: the records explorer on exactly them). */
export function CountLink({ n, href, label }: { n: number; href: string; label: string }) {
  return (
    <Link prefetch={false} className="hover:underline" href={href} aria-label={label}>
      {formatCount(n)}
    </Link>
  );
}
