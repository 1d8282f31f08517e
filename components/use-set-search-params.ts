'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { withSearchParams } from '@/lib/search-params.ts';

/**
 * Writes screen state to the URL: discrete choices push a history entry, text inputs replace it.
 * Any change resets paging (the cursor belongs to the old filters).
 */
export function useSetSearchParams() {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const set = (changes: Record<string, string | null>, replace = false) => {
    const url = `${pathname}${withSearchParams(new URLSearchParams(params.toString()), { ...changes, cursor: null })}`;
    if (replace) router.replace(url);
    else router.push(url);
  };
  return { params, set };
}
