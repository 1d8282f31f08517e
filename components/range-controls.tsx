'use client';

import Link from 'next/link';
import { useMemo, useRef, useState } from 'react';
import { presetWindow, RANGE_PRESETS, type RangePreset } from '@/lib/filters.ts';
import { BUCKETS, type Bucket, bucketsFit, MAX_BUCKETS } from '@/lib/queries/buckets.ts';
import { withSearchParams } from '@/lib/search-params.ts';
import { toZonedLocal, zonedLocalToUtc } from '@/lib/zoned-time.ts';
import { rememberFocus, useRefocus, useSetSearchParams } from './use-set-search-params.ts';
import { useSettledChoice } from './use-settled-choice.ts';

const BUCKET_LABELS = { auto: 'Auto', minute: 'Minute', hour: 'Hour', day: 'Day' } as const;
const PRESET_LABELS: Partial<Record<RangePreset, string>> = { today: 'Today', yesterday: 'Yesterday' };

/**
 * Whether the chart over [fromMs, toMs) in this bucket stays within MAX_BUCKETS points, counted as
 * the server counts them (bucketsFit; 'auto' always does). A finer one is not offered, and a range
 * change drops it: 7 days in minutes was a page with only an error on it.
 */
function bucketFits(bucket: string, fromMs: number, toMs: number, tz: string): boolean {
  if (!(BUCKETS as readonly string[]).includes(bucket)) return true;
  return bucketsFit(new Date(fromMs), new Date(toMs), bucket as Bucket, tz);
}

/**
 * Whether the minute rollups a bucket reads are kept over a range from `fromMs`: minutes are not
 * offered before `minuteKeptFrom` (MINUTE_ROLLUP_RETENTION_DAYS), where the server refuses them.
 */
const bucketKept = (bucket: string, fromMs: number, minuteKeptFrom: number | undefined) =>
  bucket !== 'minute' || minuteKeptFrom === undefined || fromMs >= minuteKeptFrom;
const control = 'rounded border border-gray-300 bg-white px-1 py-0.5 dark:border-gray-700 dark:bg-gray-900';

/**
 * Range presets, a custom range (wall times in the display zone) and, on a screen with a time
 * chart (`bucketed`), the chart bucket. Everything is written to the URL. A custom range with an
 * end is fixed history, so it stops live refresh; one without ("since 14:05") runs to now and stays
 * live.
 */
export function RangeControls({
  from,
  to,
  tz,
  bucketed = true,
  minuteKeptFrom,
}: {
  from: string;
  to: string;
  tz: string;
  bucketed?: boolean;
  /** Where the minute rollups are kept from (ms); undefined: every minute is. */
  minuteKeptFrom?: number;
}) {
  const { params, set } = useSetSearchParams();
  const custom = params.has('from');
  const live = !params.has('to');
  const active = custom ? null : (params.get('range') ?? '24h');
  const [open, setOpen] = useState(false);
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const [error, setError] = useState<string | null>(null);
  // The fields start from the window shown when the form opens: a live screen's window moves with
  // each refresh (its props change, this component stays), and fields filled at mount offered a
  // window minutes or hours old, whose end cut off the latest records once applied. A live window's
  // end is left empty: applied so, the range runs to now and stays live.
  const toggleForm = () => {
    if (!open) {
      setStart(toZonedLocal(new Date(from), tz));
      setEnd(live ? '' : toZonedLocal(new Date(to), tz));
      setError(null);
    }
    setOpen(!open);
  };
  const bucket = params.get('bucket') ?? 'auto';
  const root = useRef<HTMLDivElement>(null);
  useRefocus(root);
  const { choose, shownValue, keyHandlers } = useSettledChoice();
  // Counting a long range's hours walks the zone's offsets: once per range, not per render (the
  // custom range's inputs re-render on every key). A preset's fit is taken over its window now;
  // none of them is near the limit in any bucket it offers.
  const fits = useMemo(
    () => new Set(BUCKETS.filter((b) => bucketFits(b, Date.parse(from), Date.parse(to), tz))),
    [from, to, tz],
  );
  const presetKeepsBucket = useMemo(
    () =>
      new Set(
        RANGE_PRESETS.filter((r) => {
          const window = presetWindow(r, new Date(), tz);
          return (
            bucketFits(bucket, window.from.getTime(), window.to.getTime(), tz) &&
            bucketKept(bucket, window.from.getTime(), minuteKeptFrom)
          );
        }),
      ),
    [bucket, tz, minuteKeptFrom],
  );
  const kept = bucketKept('minute', Date.parse(from), minuteKeptFrom);

  const apply = (e: React.FormEvent) => {
    e.preventDefault();
    const f = zonedLocalToUtc(start, tz);
    // No end: up to now, live (the screens read a `from` without `to` so).
    const t = end === '' ? null : zonedLocalToUtc(end, tz);
    if (!f) return setError('Enter the start time.');
    if (end !== '' && !t) return setError('Enter the end time, or leave it empty for now.');
    if (f.getTime() >= (t ?? new Date()).getTime()) {
      return setError(t ? 'The start must be before the end.' : 'The start must be before now.');
    }
    setError(null);
    setOpen(false);
    const until = (t ?? new Date()).getTime();
    const keep =
      bucketFits(bucket, f.getTime(), until, tz) && bucketKept(bucket, f.getTime(), minuteKeptFrom);
    // The form closes with the change: focus returns to the button that opened it.
    set(
      { from: f.toISOString(), to: t?.toISOString() ?? null, range: null, ...(keep ? {} : { bucket: null }) },
      false,
      'Custom…',
    );
  };

  return (
    <div ref={root} className="flex flex-wrap items-center gap-2 text-sm">
      <nav aria-label="Range" className="flex flex-wrap gap-1">
        {RANGE_PRESETS.map((r) => (
          <Link
            prefetch={false}
            key={r}
            href={withSearchParams(new URLSearchParams(params.toString()), {
              range: r,
              from: null,
              to: null,
              cursor: null,
              ...(presetKeepsBucket.has(r) ? {} : { bucket: null }),
            })}
            aria-current={active === r ? 'page' : undefined}
            onClick={() => rememberFocus()}
            className={`rounded px-2 py-1 ${active === r ? 'bg-gray-900 text-white dark:bg-gray-100 dark:text-gray-900' : 'hover:bg-gray-200 dark:hover:bg-gray-800'}`}
          >
            {PRESET_LABELS[r] ?? r}
          </Link>
        ))}
        <button
          type="button"
          aria-expanded={open}
          onClick={toggleForm}
          className={`rounded px-2 py-1 ${custom ? 'bg-gray-900 text-white dark:bg-gray-100 dark:text-gray-900' : 'hover:bg-gray-200 dark:hover:bg-gray-800'}`}
        >
          Custom…
        </button>
      </nav>
      {open ? (
        <form onSubmit={apply} aria-label="Custom range" className="flex flex-wrap items-center gap-2">
          <label className="flex items-center gap-1">
            <span className="text-gray-500">From</span>
            <input
              type="datetime-local"
              value={start}
              onChange={(e) => setStart(e.target.value)}
              className={control}
            />
          </label>
          <label className="flex items-center gap-1">
            <span className="text-gray-500">To</span>
            <input
              type="datetime-local"
              value={end}
              onChange={(e) => setEnd(e.target.value)}
              className={control}
            />
          </label>
          <span className="text-xs text-gray-500">{tz} · no end: up to now, live</span>
          <button type="submit" className="rounded border border-gray-300 px-2 py-0.5 dark:border-gray-700">
            Apply
          </button>
          {error ? (
            <span role="alert" className="text-xs text-red-700 dark:text-red-300">
              {error}
            </span>
          ) : null}
        </form>
      ) : null}
      {bucketed ? (
        <label className="flex items-center gap-1">
          <span className="text-gray-500">Bucket</span>
          <select
            aria-label="Bucket"
            value={shownValue('bucket', bucket)}
            {...keyHandlers}
            onChange={(e) => {
              const chosen = e.target.value;
              choose('bucket', bucket, chosen, () => set({ bucket: chosen === 'auto' ? null : chosen }));
            }}
            className={control}
          >
            {Object.entries(BUCKET_LABELS).map(([value, label]) => {
              const fit = value === 'auto' || fits.has(value as Bucket);
              const gone = value === 'minute' && !kept;
              return (
                <option key={value} value={value} disabled={!fit || gone}>
                  {gone
                    ? `${label} (not kept before ${new Date(minuteKeptFrom ?? 0).toISOString().slice(0, 10)})`
                    : fit
                      ? label
                      : `${label} (over ${MAX_BUCKETS.toLocaleString('en-US')} in this range)`}
                </option>
              );
            })}
          </select>
        </label>
      ) : null}
    </div>
  );
}
