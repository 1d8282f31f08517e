import { describe, expect, it } from 'vitest';
import { computeRates, emptyCounts } from './counts.ts';
import { topByOutcomes } from './get-breakdown.ts';

function row(key: string, counts: Partial<ReturnType<typeof emptyCounts>>) {
  const c = { ...emptyCounts(), ...counts };
  return { key, counts: c, rates: computeRates(c) };
}

describe('topByOutcomes', () => {
  it('ranks by delivered + bounced, not by all records: a pool that only received comes after the senders', () => {
    const rows = [
      row('pool-b', { received: 9000 }),
      row('vmta1', { delivered: 500, bounced: 20, received: 10 }),
      row('vmta2', { delivered: 100, bounced: 430, deferred: 5 }),
      row('vmta3', { delivered: 10, deferred: 4000 }),
    ];
    expect(topByOutcomes(rows, 10).map((r) => r.key)).toEqual(['vmta2', 'vmta1', 'vmta3', 'pool-b']);
  });

  it('breaks ties by all records, then by key, and keeps only the first `limit`', () => {
    const rows = [
      row('c', { delivered: 5, deferred: 1 }),
      row('b', { delivered: 5 }),
      row('a', { bounced: 5 }),
      row('d', { delivered: 1 }),
    ];
    expect(topByOutcomes(rows, 3).map((r) => r.key)).toEqual(['c', 'a', 'b']);
    expect(rows.map((r) => r.key)).toEqual(['c', 'b', 'a', 'd']); // the input is left as it was
  });
});
