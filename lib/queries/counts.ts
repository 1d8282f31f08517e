import { COUNT_KEYS, type Counts, RECORD_TYPES, type RecordType } from '../acct/types.ts';

export interface Rates {
  delivery: number | null;
  bounce: number | null;
  complaint: number | null;
}

export function emptyCounts(): Counts {
  const c = {} as Counts;
  for (const t of RECORD_TYPES) c[COUNT_KEYS[t]] = 0;
  return c;
}

/** Adds `n` records of accounting type `type` to counts (unknown types are ignored). */
export function addCount(counts: Counts, type: string, n: number | bigint): void {
  const key = COUNT_KEYS[type as RecordType];
  if (key) counts[key] += Number(n);
}

const ratio = (a: number, b: number) => (b === 0 ? null : a / b);

/** Rates as architecture.md defines them; null when the denominator is 0. */
export function computeRates(c: Counts): Rates {
  const finals = c.delivered + c.bounced;
  return {
    delivery: ratio(c.delivered, finals),
    bounce: ratio(c.bounced, finals),
    complaint: ratio(c.complaints, c.delivered),
  };
}

export function totalOf(c: Counts): number {
  let sum = 0;
  for (const v of Object.values(c)) sum += v;
  return sum;
}
