import { Suspense } from 'react';
import { PanelSkeleton } from '@/components/panel.tsx';
import { PanelBoundary } from '@/components/panel-boundary.tsx';

/**
 * A panel that streams in on its own: a skeleton while it loads, its own error state if it fails.
 * `stateKey` (the URL) shows the skeleton again when the screen's state changes; a live refresh
 * keeps the same key, so panels update in place without jumping.
 */
export function Streamed({
  title,
  stateKey,
  height,
  children,
}: {
  title: string;
  stateKey: string;
  height?: string;
  children: React.ReactNode;
}) {
  return (
    <PanelBoundary key={stateKey} title={title}>
      <Suspense fallback={<PanelSkeleton height={height} />}>{children}</Suspense>
    </PanelBoundary>
  );
}
