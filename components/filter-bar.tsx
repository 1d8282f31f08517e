'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { FILTER_LABELS, type FilterName } from '@/lib/filter-labels.ts';
import { filterParamValue, keyLabel, pathSegmentOfKey, splitFilterValues } from '@/lib/filters.ts';
import { rememberFocus, useRefocus, useSetSearchParams } from './use-set-search-params.ts';

const NONE_OFFERED = new Set<FilterName>(['domain', 'vmta', 'pool', 'sourceIp', 'job']);
/** How long a detail page's own select rests on a key chosen with the keyboard before opening it. */
const KEY_SETTLE_MS = 700;

/** A value the options do not hold, as its keys: "2: Google, Yahoo" for several. */
function valuesLabel(value: string, name: string): string {
  try {
    const keys = splitFilterValues(value, name).map(keyLabel);
    return keys.length > 1 ? `${keys.length}: ${keys.join(', ')}` : (keys[0] ?? value);
  } catch {
    return value; // the server names a malformed value; show it as written
  }
}

/**
 * The one filter bar: every choice lives in the URL (a copied link reproduces the screen).
 * Discrete choices push a history entry; the display zone defaults to the browser's.
 */
export function FilterBar({
  options,
  names = Object.keys(FILTER_LABELS) as FilterName[],
  offerNone = true,
  pinned,
  more = {},
}: {
  /**
   * A detail page's own dimension: its select shows the page's key (as the URL writes a filter
   * value), and choosing another opens that key's page (All: the list). Before, it read "All",
   * and choosing a value kept the page's numbers under a filter naming another key.
   */
  pinned?: { name: FilterName; value: string; listPath: string };
  options: Partial<Record<FilterName, string[]>>;
  /** Values of a filter not offered (the domains beyond the range's 50 largest), said in its list. */
  more?: Partial<Record<FilterName, number>>;
  /** The filters offered (a screen of incidents has only provider, VirtualMTA and pool). */
  names?: FilterName[];
  /** Whether "(none)" is offered where records can lack the field. */
  offerNone?: boolean;
}) {
  const { params, set: go } = useSetSearchParams();
  const router = useRouter();
  const openDetail = (pin: NonNullable<typeof pinned>, value: string, current: URLSearchParams) => {
    rememberFocus();
    const rest = new URLSearchParams(current);
    rest.delete(pin.name);
    rest.delete('cursor');
    const query = rest.toString() ? `?${rest}` : '';
    if (value === '') {
      router.push(`${pin.listPath}${query}`);
      return;
    }
    // The path names the key itself ('(none)' for the records without the field).
    const key = splitFilterValues(value, pin.name)[0] ?? '';
    router.push(`${pin.listPath}/${encodeURIComponent(pathSegmentOfKey(key))}${query}`);
  };
  const toolbar = useRef<HTMLDivElement>(null);
  useRefocus(toolbar);
  // A choice made with the keyboard applies once it rests (KEY_SETTLE_MS), on Enter or on leaving
  // the select: applied at each key, every arrow press navigated and re-rendered the select, so
  // presses made meanwhile were lost (five ArrowDowns ended on the second option), typing a zone
  // name stopped at its first letter, and a detail page's own select opened a page per press.
  const keyed = useRef(false);
  const pending = useRef<{ apply: () => void; timer: ReturnType<typeof setTimeout> } | null>(null);
  // The value chosen and not yet applied, for the select it was chosen in while it still shows `on`
  // (a page reached by Back shows its own state).
  const [draft, setDraft] = useState<{ name: string; on: string; value: string } | null>(null);
  useEffect(
    () => () => {
      if (pending.current) clearTimeout(pending.current.timer);
    },
    [],
  );
  const flush = () => {
    const p = pending.current;
    if (!p) return;
    clearTimeout(p.timer);
    pending.current = null;
    p.apply();
  };
  const choose = (name: string, shown: string, value: string, apply: () => void) => {
    if (!keyed.current) {
      flush();
      apply();
      return;
    }
    if (pending.current) clearTimeout(pending.current.timer);
    setDraft({ name, on: shown, value });
    pending.current = {
      apply,
      timer: setTimeout(() => {
        pending.current = null;
        apply();
      }, KEY_SETTLE_MS),
    };
  };
  const shownValue = (name: string, value: string) =>
    draft?.name === name && draft.on === value ? draft.value : value;
  const keyHandlers = {
    onKeyDown: (e: React.KeyboardEvent) => {
      if (e.key === 'Enter') flush();
      else if (e.key !== 'Tab') keyed.current = true;
    },
    onPointerDown: () => {
      keyed.current = false;
    },
    onBlur: flush,
  };

  const tz = params.get('tz');
  useEffect(() => {
    if (!tz) {
      const browser = Intl.DateTimeFormat().resolvedOptions().timeZone;
      if (browser && browser !== 'UTC') go({ tz: browser }, true);
    }
  });

  // The browser's zone and every IANA zone, offered once mounted: the server renders in its own
  // zone, and a list drawn from the browser's during the first render did not match it (React's
  // hydration error #418 on every load outside UTC). A team may read a screen in its customer's zone.
  const [browserZone, setBrowserZone] = useState('UTC');
  const [zones, setZones] = useState<string[]>([]);
  useEffect(() => {
    setBrowserZone(Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC');
    setZones(Intl.supportedValuesOf('timeZone').filter((z) => z.includes('/')));
  }, []);
  return (
    <div
      ref={toolbar}
      role="toolbar"
      aria-label="Filters"
      className="mb-4 flex flex-wrap items-center gap-2 text-sm"
    >
      {names.map((name) => {
        const isPinned = pinned?.name === name;
        // Every value the URL gives (repeated or comma-separated): the bar showed only the first of
        // `provider=Google&provider=Yahoo` while every count covered both.
        const value = isPinned ? pinned.value : params.getAll(name).filter(Boolean).join(',');
        // "(none)": the records without this field (received mail has no sending IP, a JMRP
        // complaint no domain…); provider and source host are never empty. Options carry the
        // value as the URL writes it (a key with a comma quoted), and show the key.
        const keys = options[name] ?? [];
        const offered = (offerNone && NONE_OFFERED.has(name) ? [...keys, ''] : keys).map((key) => ({
          value: filterParamValue(key),
          label: keyLabel(key),
        }));
        const choices =
          value && !offered.some((o) => o.value === value)
            ? [{ value, label: valuesLabel(value, name) }, ...offered]
            : offered;
        return (
          <label key={name} className="flex items-center gap-1">
            <span className="text-gray-500">{FILTER_LABELS[name]}</span>
            <select
              aria-label={FILTER_LABELS[name]}
              value={shownValue(name, value)}
              {...keyHandlers}
              onChange={(e) => {
                const chosen = e.target.value;
                choose(name, value, chosen, () =>
                  isPinned ? openDetail(pinned, chosen, params) : go({ [name]: chosen || null }),
                );
              }}
              className="max-w-40 rounded border border-gray-300 bg-white px-1 py-0.5 dark:border-gray-700 dark:bg-gray-900"
            >
              <option value="">All</option>
              {choices.map((c) => (
                <option key={c.value} value={c.value}>
                  {c.label}
                </option>
              ))}
              {more[name] ? (
                <option disabled value="\u0000more">
                  … {more[name]} more with fewer records: search the {FILTER_LABELS[name]}s screen
                </option>
              ) : null}
            </select>
          </label>
        );
      })}
      <label className="flex items-center gap-1">
        <span className="text-gray-500">Time zone</span>
        <select
          aria-label="Time zone"
          value={shownValue('tz', tz ?? 'UTC')}
          {...keyHandlers}
          onChange={(e) => {
            const chosen = e.target.value;
            choose('tz', tz ?? 'UTC', chosen, () => go({ tz: chosen }));
          }}
          className="rounded border border-gray-300 bg-white px-1 py-0.5 dark:border-gray-700 dark:bg-gray-900"
        >
          {browserZone !== 'UTC' ? <option value={browserZone}>{browserZone} (browser)</option> : null}
          {tz && tz !== browserZone && tz !== 'UTC' ? <option value={tz}>{tz}</option> : null}
          <option value="UTC">UTC</option>
          {zones.length > 0 ? (
            <optgroup label="All zones">
              {zones
                .filter((z) => z !== browserZone && z !== tz)
                .map((z) => (
                  <option key={z} value={z}>
                    {z}
                  </option>
                ))}
            </optgroup>
          ) : null}
        </select>
      </label>
    </div>
  );
}
