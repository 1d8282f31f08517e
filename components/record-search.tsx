'use client';

import { useEffect, useRef, useState } from 'react';
import { COUNT_LABELS } from '@/lib/acct/record-colors.ts';
import { COUNT_KEYS, RECORD_TYPES, type RecordType } from '@/lib/acct/types.ts';
import { useRefocus, useSetSearchParams } from './use-set-search-params.ts';
import { useSettledChoice } from './use-settled-choice.ts';

/** "Deferred (t)": the type's name, then PowerMTA's code as the records list it. */
const typeLabel = (t: string) =>
  (RECORD_TYPES as readonly string[]).includes(t) ? `${COUNT_LABELS[COUNT_KEYS[t as RecordType]]} (${t})` : t;

/** Record type, recipient and diagnostic text; text inputs debounce and replace the URL. */
export function RecordSearch() {
  const { params, set: go } = useSetSearchParams();
  const [rcpt, setRcpt] = useState(params.get('rcpt') ?? '');
  const [q, setQ] = useState(params.get('q') ?? '');
  const { choose, shownValue, keyHandlers } = useSettledChoice();
  const root = useRef<HTMLDivElement>(null);
  useRefocus(root);

  useEffect(() => {
    if ((params.get('rcpt') ?? '') === rcpt && (params.get('q') ?? '') === q) return;
    const timer = setTimeout(() => go({ rcpt, q }, true), 300);
    return () => clearTimeout(timer);
  });

  // Several types (a link's `type=d&type=b`: an incident's volume) are one choice of their own: the
  // control said "All" over a list of deliveries and bounces.
  const types = params.getAll('type').join(',');
  const several = types !== '' && !(RECORD_TYPES as readonly string[]).includes(types);

  return (
    <div ref={root} className="mb-4 flex flex-wrap items-center gap-3 text-sm">
      <label className="flex items-center gap-1">
        <span className="text-gray-500">Type</span>
        <select
          aria-label="Record type"
          value={shownValue('type', types)}
          {...keyHandlers}
          onChange={(e) => {
            const chosen = e.target.value;
            choose('type', types, chosen, () => go({ type: chosen }, false));
          }}
          className="rounded border border-gray-300 bg-white px-1 py-0.5 dark:border-gray-700 dark:bg-gray-900"
        >
          <option value="">All</option>
          {several ? (
            <option value={types}>
              {types
                .split(',')
                .map((t) => t.trim())
                .filter(Boolean)
                .map(typeLabel)
                .join(', ')}
            </option>
          ) : null}
          {RECORD_TYPES.map((t) => (
            <option key={t} value={t}>
              {typeLabel(t)}
            </option>
          ))}
        </select>
      </label>
      <label className="flex items-center gap-1">
        <span className="text-gray-500">Recipient</span>
        <input
          aria-label="Recipient"
          placeholder="address or domain"
          value={rcpt}
          onChange={(e) => setRcpt(e.target.value)}
          className="rounded border border-gray-300 bg-white px-1 py-0.5 dark:border-gray-700 dark:bg-gray-900"
        />
      </label>
      <label className="flex items-center gap-1">
        <span className="text-gray-500">Diagnostic contains</span>
        <input
          aria-label="Diagnostic contains"
          value={q}
          onChange={(e) => setQ(e.target.value)}
          className="rounded border border-gray-300 bg-white px-1 py-0.5 dark:border-gray-700 dark:bg-gray-900"
        />
      </label>
    </div>
  );
}
