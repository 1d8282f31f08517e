'use client';

import { ServerErrorText } from '@/components/server-error-text.tsx';

export default function ErrorPage({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <div
      role="alert"
      className="rounded-lg border border-red-200 bg-red-50 p-4 text-sm text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200"
    >
      <p className="font-medium">This page could not be loaded.</p>
      <p className="mt-1">
        <ServerErrorText error={error} />
      </p>
      <button type="button" onClick={reset} className="mt-3 rounded border border-current px-3 py-1">
        Try again
      </button>
    </div>
  );
}
