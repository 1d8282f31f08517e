import Link from 'next/link';

/** Links between sibling screens (domains ↔ providers…), keeping the screen's other state. */
export function ViewToggle({
  label,
  views,
  current,
  query,
}: {
  label: string;
  views: { id: string; title: string; path: string }[];
  current: string;
  query: string;
}) {
  return (
    <nav aria-label={label} className="flex rounded border border-gray-300 text-sm dark:border-gray-700">
      {views.map((v) => (
        <Link
          prefetch={false}
          key={v.id}
          href={`${v.path}${query ? `?${query}` : ''}`}
          aria-current={v.id === current ? 'page' : undefined}
          data-keep-focus={`view-${v.id}`}
          className={`px-2 py-0.5 ${v.id === current ? 'bg-gray-900 text-white dark:bg-gray-100 dark:text-gray-900' : 'hover:bg-gray-100 dark:hover:bg-gray-800'}`}
        >
          {v.title}
        </Link>
      ))}
    </nav>
  );
}
