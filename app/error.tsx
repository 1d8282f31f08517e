'use client';

import { useRouter } from 'next/navigation';
import { startTransition, useCallback, useEffect } from 'react';
import { ServerErrorText } from '@/components/server-error-text.tsx';

/** How often a page that failed to load asks the server again by itself. */
const RETRY_MS = 20_000;

export default function ErrorPage({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  const router = useRouter();
  // reset() alone re-renders what the browser already has: a server component that failed (the
  // database was down) is only read again after router.refresh(), in the same transition.
  const retry = useCallback(() => {
    startTransition(() => {
      router.refresh();
      reset();
    });
  }, [router, reset]);
  // A screen left open (the ingest status on a wall display) comes back by itself once the server
  // answers again, as the panels of the other screens do on their next live refresh.
  useEffect(() => {
    const timer = setInterval(retry, RETRY_MS);
    return () => clearInterval(timer);
  }, [retry]);
  return (
    <div
      role="alert"
      className="rounded-lg border border-red-200 bg-red-50 p-4 text-sm text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200"
    >
      <p className="font-medium">This page could not be loaded.</p>
      <p className="mt-1">
        <ServerErrorText error={error} />
      </p>
      <p className="mt-1">This page tries again by itself every {RETRY_MS / 1000} s.</p>
      <button type="button" onClick={retry} className="mt-3 rounded border border-current px-3 py-1">
        Try again
      </button>
    </div>
  );
}
