/** The card every panel sits in, with its heading. */
export function Panel({
  title,
  children,
  actions,
  className = '',
}: {
  title: string;
  children: React.ReactNode;
  actions?: React.ReactNode;
  className?: string;
}) {
  return (
    <section
      aria-label={title}
      className={`min-w-0 rounded-lg border border-gray-200 bg-white p-4 shadow-sm dark:border-gray-800 dark:bg-gray-900 ${className}`}
    >
      <div className="mb-2 flex items-center justify-between gap-2">
        <h2 className="text-sm font-medium text-gray-600 dark:text-gray-300">{title}</h2>
        {actions}
      </div>
      {/* A table wider than a phone scrolls inside its panel instead of widening the page. */}
      <div className="overflow-x-auto">{children}</div>
    </section>
  );
}

/** A panel's placeholder while its data streams in. */
export function PanelSkeleton({ height = 'h-24' }: { height?: string }) {
  return (
    <div
      role="status"
      aria-busy="true"
      aria-label="Loading"
      className={`${height} animate-pulse rounded-lg bg-gray-200 dark:bg-gray-800`}
    />
  );
}
