import { domainToAscii, normaliseDomain } from './acct/domain.ts';
import type { CountKey, Counts, RecordType } from './acct/types.ts';
import { ParamError, parseChoice, single } from './filters.ts';

/** The columns a breakdown table can be sorted by. */
export const SORT_KEYS = [
  'key',
  'total',
  'delivered',
  'bounced',
  'bounceRate',
  'deferred',
  'complaints',
  'complaintRate',
] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export interface ViewRow {
  key: string;
  counts: Counts;
  rates: { delivery: number | null; bounce: number | null; complaint: number | null };
}

export interface BreakdownView {
  sort: SortKey;
  dir: 'asc' | 'desc';
  /** Case-insensitive substring of the key, or of a Unicode domain's punycode (`xn--mnchen`). */
  search: string;
  /** Rows shown (the table says how many matched in all). */
  limit: number;
}

/** `sort=` (`defaultSort` without it), `dir=`, `search=`, `limit=` of a breakdown screen. */
export function parseBreakdownView(params: URLSearchParams, defaultSort: SortKey = 'total'): BreakdownView {
  const sort = parseChoice(params, 'sort', SORT_KEYS, defaultSort);
  const dir = parseChoice(params, 'dir', ['asc', 'desc'] as const, sort === 'key' ? 'asc' : 'desc');
  const search = single(params, 'search') ?? '';
  if (search.length > 200) throw new ParamError('search must be at most 200 characters', 'search');
  const limitRaw = single(params, 'limit');
  const limit = limitRaw === undefined ? 100 : Number(limitRaw);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) {
    throw new ParamError('limit must be a whole number from 1 to 10000', 'limit');
  }
  return { sort, dir, search, limit };
}

function sortValue(row: ViewRow, sort: SortKey): number | string | null {
  switch (sort) {
    case 'key':
      return row.key;
    case 'total':
      return Object.values(row.counts).reduce((a, b) => a + b, 0);
    case 'bounceRate':
      return row.rates.bounce;
    case 'complaintRate':
      return row.rates.complaint;
    default:
      return row.counts[sort];
  }
}

/**
 * Filters, sorts and cuts breakdown rows. Rows without a rate (no denominator) sort last in
 * either direction; ties are broken by key so the order is stable.
 */
export function applyBreakdownView<T extends ViewRow>(rows: T[], view: BreakdownView) {
  const needle = view.search.toLowerCase();
  // Domain keys are stored as Unicode; `xn--bcher-kva` (as a mail log or DNS tool shows it) is
  // looked for as `bücher` too, and any part of it (`xn--bcher`, `kva.de`, which do not decode) in
  // the keys' punycode: a part found nothing (QA).
  const unicode = needle.includes('xn--') ? normaliseDomain(needle) : needle;
  const matches = (key: string) => {
    const k = key.toLowerCase();
    return (
      k.includes(needle) || (unicode !== needle && k.includes(unicode)) || domainToAscii(k).includes(needle)
    );
  };
  const matched = needle ? rows.filter((r) => matches(r.key)) : [...rows];
  const sign = view.dir === 'asc' ? 1 : -1;
  matched.sort((a, b) => {
    const x = sortValue(a, view.sort);
    const y = sortValue(b, view.sort);
    if (x === null || y === null) {
      if (x !== y) return x === null ? 1 : -1;
    } else if (x !== y) {
      return (x < y ? -1 : 1) * sign;
    }
    return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
  });
  return { rows: matched.slice(0, view.limit), matched: matched.length };
}

/** The counts every breakdown table has a column for: the sending side's outcomes and complaints. */
const COLUMN_COUNTS = ['delivered', 'bounced', 'deferred', 'complaints'] as const satisfies CountKey[];

/** The counts no breakdown table has a column for, with the type that lists their records. */
const OUTSIDE_COUNTS: { key: CountKey; type: RecordType }[] = [
  { key: 'received', type: 'r' },
  { key: 'remoteBounced', type: 'rb' },
  { key: 'remoteStatus', type: 'rs' },
  { key: 'queueDeferred', type: 'tq' },
];

export interface OutsideCount {
  key: CountKey;
  type: RecordType;
  n: number;
}

/**
 * What a row holds when every count of its table's columns is 0: its records of the types the
 * table has no column for (received mail, remote bounces…), to be named in place of a row of zeros
 * that read as a bug (the VirtualMTAs' "(none)": mostly `r` rows, which have no VirtualMTA).
 * null when the row has something in its columns, as any row that sent mail does.
 */
export function outsideColumns(counts: Counts): OutsideCount[] | null {
  if (COLUMN_COUNTS.some((k) => counts[k] > 0)) return null;
  return OUTSIDE_COUNTS.filter(({ key }) => counts[key] > 0).map(({ key, type }) => ({
    key,
    type,
    n: counts[key],
  }));
}
