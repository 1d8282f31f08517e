'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { FILTER_LABELS, type FilterName } from '@/lib/filter-labels.ts';
import {
  currentZoneName,
  filterParamValue,
  keyLabel,
  pathSegmentOfKey,
  splitFilterValues,
} from '@/lib/filters.ts';
import { rememberFocus, useRefocus, useSetSearchParams } from './use-set-search-params.ts';
import { useSettledChoice } from './use-settled-choice.ts';

const NONE_OFFERED = new Set<FilterName>(['domain', 'vmta', 'pool', 'sourceIp', 'job']);
/**
 * The option of a select that opens a field to type a value the select does not offer, known by
 * its data attribute: no value is safe to reserve (a NUL in the server's HTML reads as U+FFFD).
 */
const TYPE_OPTION = 'data-type-value';

/** A value the options do not hold, as its keys: "2: Google, Yahoo" for several. */
function valuesLabel(value: string, name: string): string {
  try {
    const keys = splitFilterValues(value, name).map(keyLabel);
    return keys.length > 1 ? `${keys.length}: ${keys.join(', ')}` : (keys[0] ?? value);
  } catch {
    return value; // the server names a malformed value; show it as written
  }
}

/** The browser's zone by its current IANA name (UTC when it names none). */
const browserTimeZone = () => currentZoneName(Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC');

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
  /**
   * Values of a filter not offered (the domains and jobs beyond the range's 50 largest: a count;
   * `true` when the list stopped at its limit): its select then offers to type one.
   */
  more?: Partial<Record<FilterName, number | true>>;
  /** The filters offered (a screen of incidents has only provider, VirtualMTA and pool). */
  names?: FilterName[];
  /** Whether "(none)" is offered where records can lack the field. */
  offerNone?: boolean;
}) {
  const { params, set: go } = useSetSearchParams();
  const router = useRouter();
  const openDetail = (
    pin: NonNullable<typeof pinned>,
    value: string,
    current: URLSearchParams,
    focusAfter?: string,
  ) => {
    rememberFocus(focusAfter);
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
  const { choose, shownValue, keyHandlers, flush } = useSettledChoice();

  // The filter whose value is being typed (its select chose "Type a value…"), shown as a field.
  const [typing, setTyping] = useState<FilterName | null>(null);
  // The select to focus again when its field closes without a navigation (which would refocus it).
  const backTo = useRef<FilterName | null>(null);
  useEffect(() => {
    if (typing !== null || backTo.current === null) return;
    const label = FILTER_LABELS[backTo.current];
    backTo.current = null;
    toolbar.current?.querySelector<HTMLSelectElement>(`select[aria-label="${label}"]`)?.focus();
  }, [typing]);
  const closeTyping = (name: FilterName) => {
    backTo.current = name;
    setTyping(null);
  };
  const applyTyped = (name: FilterName, typed: string) => {
    const key = typed.trim();
    if (key === '') {
      closeTyping(name);
      return;
    }
    setTyping(null);
    // The value as the URL writes it (a key with a comma quoted, '"(none)"' for a key so named).
    const value = filterParamValue(key);
    if (pinned?.name === name) openDetail(pinned, value, params, FILTER_LABELS[name]);
    else go({ [name]: value }, false, FILTER_LABELS[name]);
  };

  const tz = params.get('tz');
  useEffect(() => {
    if (!tz) {
      const browser = browserTimeZone();
      if (browser !== 'UTC') go({ tz: browser }, true);
    }
  });

  // The browser's zone and every IANA zone, offered once mounted: the server renders in its own
  // zone, and a list drawn from the browser's during the first render did not match it (React's
  // hydration error #418 on every load outside UTC). A team may read a screen in its customer's zone.
  const [browserZone, setBrowserZone] = useState('UTC');
  const [zones, setZones] = useState<string[]>([]);
  useEffect(() => {
    setBrowserZone(browserTimeZone());
    setZones(
      Intl.supportedValuesOf('timeZone')
        .filter((z) => z.includes('/'))
        .map(currentZoneName)
        .sort(),
    );
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
        if (typing === name)
          return (
            <TypedValue
              key={name}
              name={name}
              keys={keys}
              onApply={(typed) => applyTyped(name, typed)}
              onCancel={() => closeTyping(name)}
            />
          );
        const notOffered = more[name];
        return (
          <label key={name} className="flex items-center gap-1">
            <span className="text-gray-500">{FILTER_LABELS[name]}</span>
            <select
              aria-label={FILTER_LABELS[name]}
              value={shownValue(name, value)}
              {...keyHandlers}
              onChange={(e) => {
                const chosen = e.target.value;
                if (e.target.selectedOptions[0]?.hasAttribute(TYPE_OPTION)) {
                  // Opened at once, even from the keyboard: the field is where the typing goes.
                  flush();
                  setTyping(name);
                  return;
                }
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
              {notOffered ? (
                <option value="type a value…" {...{ [TYPE_OPTION]: '' }}>
                  {notOffered === true
                    ? 'Type a value… (more than listed)'
                    : `Type a value… (${notOffered} more with fewer records)`}
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

/**
 * A filter's field for a value its select does not offer (a small domain, an older job): the
 * offered ones are suggested as typed. Enter applies (an empty field keeps the filter as it was),
 * Escape goes back to the select.
 */
function TypedValue({
  name,
  keys,
  onApply,
  onCancel,
}: {
  name: FilterName;
  keys: string[];
  onApply: (typed: string) => void;
  onCancel: () => void;
}) {
  const [text, setText] = useState('');
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  const listId = `filter-values-${name}`;
  return (
    <form
      className="flex items-center gap-1"
      onSubmit={(e) => {
        e.preventDefault();
        onApply(text);
      }}
    >
      <label className="flex items-center gap-1">
        <span className="text-gray-500">{FILTER_LABELS[name]}</span>
        <input
          ref={input}
          aria-label={`${FILTER_LABELS[name]} to filter by`}
          list={listId}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') onCancel();
          }}
          spellCheck={false}
          autoCapitalize="off"
          autoComplete="off"
          className="w-48 rounded border border-gray-300 bg-white px-1 py-0.5 dark:border-gray-700 dark:bg-gray-900"
        />
      </label>
      <datalist id={listId}>
        {keys.map((k) => (
          <option key={k} value={k} />
        ))}
      </datalist>
      <button type="submit" className="rounded border border-gray-300 px-2 py-0.5 dark:border-gray-700">
        Apply
      </button>
      <button type="button" onClick={onCancel} className="px-1 text-gray-500 underline">
        Cancel
      </button>
    </form>
  );
}
