'use client';

import Link from 'next/link';
import { usePathname, useSearchParams } from 'next/navigation';

const MINUTE = 60_000;

/**
 * For a view kept per minute reached with a window off the minute (from the records of a chart
 * bar, whose window has seconds): this screen over the window widened to whole minutes, `from`
 * down and `to` up. Dropping the window instead showed the last 24 hours without saying so.
 */
export function WholeMinutesLink() {
  const pathname = usePathname();
  const params = new URLSearchParams(useSearchParams().toString());
  let changed = false;
  for (const [name, round] of [
    ['from', Math.floor],
    ['to', Math.ceil],
  ] as const) {
    const raw = params.get(name);
    if (!raw) continue;
    const ms = Date.parse(raw);
    if (Number.isNaN(ms) || ms % MINUTE === 0) continue;
    params.set(name, new Date(round(ms / MINUTE) * MINUTE).toISOString());
    changed = true;
  }
  if (!changed) return null;
  params.delete('cursor');
  return (
    <Link
      prefetch={false}
      href={`${pathname}?${params.toString()}`}
      className="mt-2 inline-block text-blue-700 hover:underline dark:text-blue-300"
    >
      Open this window widened to whole minutes →
    </Link>
  );
}
