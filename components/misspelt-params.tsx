'use client';

import Link from 'next/link';
import { usePathname, useSearchParams } from 'next/navigation';
import { misspeltParams } from '@/lib/param-hints.ts';
import { WithoutParamLink } from './without-param-link.tsx';

/**
 * A parameter of the URL that looks like a misspelt one the screen reads (`Domain=gmail.com`): the
 * screen ignores it, so this says so, with the screen under the name it most likely meant. Before,
 * such a link showed every record, unfiltered, without a word.
 */
export function MisspeltParams() {
  const pathname = usePathname();
  const params = new URLSearchParams(useSearchParams().toString());
  const hints = misspeltParams(params);
  if (hints.length === 0) return null;
  return (
    <div className="mb-4 space-y-1 text-sm">
      {hints.map(({ name, like }) => {
        const renamed = new URLSearchParams();
        for (const [k, v] of params) if (k !== 'cursor') renamed.append(k === name ? like : k, v);
        return (
          <div key={name}>
            <p role="alert" className="text-amber-800 dark:text-amber-300">
              Unknown parameter {name}, ignored: these numbers are not filtered by it. Did you mean {like}?
            </p>
            <Link
              prefetch={false}
              href={`${pathname}?${renamed.toString()}`}
              className="mr-4 inline-block text-blue-700 hover:underline dark:text-blue-300"
            >
              Open this screen with {like} →
            </Link>
            <WithoutParamLink param={name} />
          </div>
        );
      })}
    </div>
  );
}
