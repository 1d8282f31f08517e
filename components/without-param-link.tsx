'use client';

import Link from 'next/link';
import { usePathname, useSearchParams } from 'next/navigation';
import { withSearchParams } from '@/lib/search-params.ts';

/** The parameters a bad one comes with: a window is from, to and range together. */
const TOGETHER: Record<string, string[]> = {
  from: ['from', 'to', 'range'],
  to: ['from', 'to', 'range'],
  range: ['from', 'to', 'range'],
};

/**
 * A link to this screen without `param` (and the parameters that go with it), when it is there;
 * several parameters are dropped together, the others kept. `name` says what is dropped (default
 * the parameter's name).
 */
export function WithoutParamLink({ param, name }: { param: string | string[]; name?: string }) {
  const pathname = usePathname();
  const params = new URLSearchParams(useSearchParams().toString());
  const names = (typeof param === 'string' ? [param] : param).filter((p) => params.has(p));
  if (names.length === 0) return null;
  const drop = Object.fromEntries(names.flatMap((n) => TOGETHER[n] ?? [n]).map((p) => [p, null]));
  return (
    <Link
      prefetch={false}
      href={`${pathname}${withSearchParams(params, { ...drop, cursor: null }).replace(/^\?$/, '')}`}
      className="mt-2 inline-block text-blue-700 hover:underline dark:text-blue-300"
    >
      Open this screen without {name ?? names.join(', ')} →
    </Link>
  );
}
