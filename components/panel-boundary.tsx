'use client';

import { useRouter } from 'next/navigation';
import { Component, type ReactNode } from 'react';

function RetryButton({ onRetry }: { onRetry: () => void }) {
  const router = useRouter();
  return (
    <button
      type="button"
      onClick={() => {
        onRetry();
        router.refresh();
      }}
      className="mt-2 rounded border border-current px-2 py-0.5"
    >
      Retry
    </button>
  );
}

/** One failing panel shows its error and a retry; the rest of the screen keeps working. */
export class PanelBoundary extends Component<
  { title: string; children: ReactNode },
  { error: Error | null }
> {
  state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  render() {
    if (!this.state.error) return this.props.children;
    return (
      <div
        role="alert"
        className="rounded-lg border border-red-200 bg-red-50 p-4 text-sm text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200"
      >
        <p className="font-medium">{this.props.title} could not be loaded.</p>
        <p className="mt-1">{this.state.error.message || 'The server failed to answer; see its log.'}</p>
        <RetryButton onRetry={() => this.setState({ error: null })} />
      </div>
    );
  }
}
