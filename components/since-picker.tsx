import Link from 'next/link';
import { withSearchParams } from '@/lib/search-params.ts';
import { SinceDateForm } from './since-date-form.tsx';

const DAY = 86_400_000;
const PRESETS = [
  { label: '24 h', days: 1 },
  { label: '7 d', days: 7 },
  { label: '30 d', days: 30 },
  { label: '90 d', days: 90 },
  { label: '1 y', days: 365 },
];

/**
 * The `since=` of the URL: presets and a date (midnight in the screen's zone `tz`); a change restarts paging and keeps
 * the screen's other parameters. `label` reads before the presets ("First suppressed in the last").
 */
export function SincePicker({
  since,
  params,
  label,
  defaultDays,
  tz,
}: {
  since: Date;
  params: URLSearchParams;
  tz: string;
  label: string;
  /** The period shown without `since=`. */
  defaultDays: number;
}) {
  // A preset is a fixed instant, so a shared link keeps listing the same entries.
  const now = Math.floor(Date.now() / 60_000) * 60_000;
  const link = (days: number) =>
    withSearchParams(params, { since: new Date(now - days * DAY).toISOString(), cursor: null });
  // The preset the list shows: the default (no since=), or one picked lately (its instant moves
  // away from "the last N days" as time passes, so a week-old link highlights none).
  const current = (days: number) =>
    params.get('since')
      ? Math.abs(since.getTime() - (now - days * DAY)) <= Math.max(5 * 60_000, days * DAY * 0.01)
      : days === defaultDays;
  return (
    <div className="flex flex-wrap items-center gap-3 text-sm">
      <span className="text-gray-600 dark:text-gray-300">{label}</span>
      {PRESETS.map((p) => (
        <Link
          prefetch={false}
          key={p.label}
          href={link(p.days)}
          aria-current={current(p.days) ? 'true' : undefined}
          className={
            current(p.days)
              ? 'rounded bg-gray-900 px-2 py-0.5 text-white dark:bg-gray-100 dark:text-gray-900'
              : 'text-blue-700 hover:underline dark:text-blue-300'
          }
        >
          {p.label}
        </Link>
      ))}
      <SinceDateForm since={since.toISOString()} tz={tz} query={params.toString()} />
    </div>
  );
}
