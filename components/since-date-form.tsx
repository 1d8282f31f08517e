'use client';

import { useRouter } from 'next/navigation';
import { withSearchParams } from '@/lib/search-params.ts';
import { toZonedLocal, zonedLocalToUtc } from '@/lib/zoned-time.ts';

/**
 * "or since <date>": midnight of the picked day in the screen's zone `tz`, written to the URL as
 * that instant (a bare date would be read as UTC midnight, hours off the day the screen shows).
 * Without script the form still submits the bare date.
 */
export function SinceDateForm({ since, tz, query }: { since: string; tz: string; query: string }) {
  const router = useRouter();
  const params = new URLSearchParams(query);
  const kept = [...params].filter(([name]) => name !== 'since' && name !== 'cursor');
  return (
    <form
      method="get"
      className="flex items-center gap-2"
      onSubmit={(event) => {
        const day = new FormData(event.currentTarget).get('since');
        if (typeof day !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return;
        const at = zonedLocalToUtc(`${day}T00:00`, tz);
        if (!at) return;
        event.preventDefault();
        router.push(withSearchParams(params, { since: at.toISOString(), cursor: null }));
      }}
    >
      {kept.map(([name, value], i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a parameter may repeat with the same value
        <input key={`${name}\u0000${value}\u0000${i}`} type="hidden" name={name} value={value} />
      ))}
      <label className="flex items-center gap-1">
        <span className="text-gray-600 dark:text-gray-300">or since</span>
        <input
          type="date"
          name="since"
          defaultValue={toZonedLocal(new Date(since), tz).slice(0, 10)}
          className="rounded border border-gray-300 bg-white px-1 dark:border-gray-700 dark:bg-gray-900"
        />
      </label>
      <button type="submit" className="rounded border border-gray-300 px-2 dark:border-gray-700">
        Show
      </button>
    </form>
  );
}
