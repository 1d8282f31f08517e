'use client';

import { useEffect, useState } from 'react';
import { useSetSearchParams } from './use-set-search-params.ts';

/** Filters a table by name as you type (debounced, replaces the URL's `search=`). */
export function TableSearch({ label }: { label: string }) {
  const { params, set } = useSetSearchParams();
  const current = params.get('search') ?? '';
  const [value, setValue] = useState(current);

  useEffect(() => {
    if (value === current) return;
    const timer = setTimeout(() => set({ search: value || null }, true), 300);
    return () => clearTimeout(timer);
  });

  return (
    <input
      type="search"
      aria-label={label}
      placeholder={label}
      value={value}
      onChange={(e) => setValue(e.target.value)}
      className="w-64 rounded border border-gray-300 bg-white px-2 py-1 text-sm dark:border-gray-700 dark:bg-gray-900"
    />
  );
}
