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

/** A link to this screen without `param` (and the parameters that go with it), when it is there. */
export function WithoutParamLink({ param }: { param: string }) {
  const pathname = usePathname();
  const params = new URLSearchParams(useSearchParams().toString());
  if (!params.has(param)) return null;
  const drop = Object.fromEntries((TOGETHER[param] ?? [param]).map((p) => [p, null]));
  return (
    <Link
      prefetch={false}
      href={`${pathname}${withSearchParams(params, { ...drop, cursor: null }).replace(/^\?$/, '')}`}
      className="mt-2 inline-block text-blue-700 hover:underline dark:text-blue-300"
    >
      Open this screen without {param} →
    </Link>
  );
}
