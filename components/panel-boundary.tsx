'use client';

import { useRouter } from 'next/navigation';
import { Component, type ReactNode } from 'react';
import { reportPanel } from './panel-failures.ts';
import { ServerErrorText } from './server-error-text.tsx';

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
  { error: Error | null; children: ReactNode }
> {
  state: { error: Error | null; children: ReactNode } = { error: null, children: this.props.children };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  /**
   * New content from the server (a live refresh, a retry) is tried again: a panel that failed while
   * the database was down recovers on its own once it is back, instead of staying red until clicked.
   */
  static getDerivedStateFromProps(
    props: { children: ReactNode },
    state: { error: Error | null; children: ReactNode },
  ) {
    return props.children !== state.children ? { error: null, children: props.children } : null;
  }

  componentDidMount() {
    reportPanel(this, this.state.error !== null);
  }

  componentDidUpdate() {
    reportPanel(this, this.state.error !== null);
  }

  componentWillUnmount() {
    reportPanel(this, false);
  }

  render() {
    if (!this.state.error) return this.props.children;
    return (
      <div
        role="alert"
        className="rounded-lg border border-red-200 bg-red-50 p-4 text-sm text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200"
      >
        <p className="font-medium">{this.props.title} could not be loaded.</p>
        <p className="mt-1" data-testid="panel-error">
          <ServerErrorText error={this.state.error} />
        </p>
        <RetryButton onRetry={() => this.setState({ error: null })} />
      </div>
    );
  }
}
