import { describe, expect, it } from 'vitest';
import type { BucketCounts } from './bucket-counts.ts';
import { sliceRollups as foldSlices, SliceDictionary, sliceFields } from './slices.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.parse('2026-05-01T23:00:00Z');

// Star counts of a chunk: bucket → local dim → n.
const counts = (entries: [number, number, number][]) => {
  const m = new Map<number, Map<number, number>>();
  for (const [b, d, n] of entries) {
    if (!m.has(b)) m.set(b, new Map());
    m.get(b)?.set(d, n);
  }
  return m;
};

/** Slice rows as "grain bucket kind\tkey\ttype = n", sorted. */
/** Slices of tuples numbered in order (a fresh dictionary). */
function sliceRollups(dims: string[][], minute: BucketCounts, hour: BucketCounts) {
  const dictionary = new SliceDictionary();
  for (const d of dims) dictionary.addDim(d);
  const out = foldSlices(dictionary, minute, hour);
  expect(out.idBase).toBe(0);
  return out;
}

function rows(s: ReturnType<typeof sliceRollups>) {
  const out: string[] = [];
  for (const grain of ['minute', 'hour', 'day', 'month'] as const) {
    const r = s[grain];
    for (let i = 0; i < r.n.length; i++) {
      const { kind, key, type } = sliceFields(s.id[r.dim[i]]);
      out.push(`${grain} ${new Date(r.bucket[i]).toISOString()} ${kind}\t${key}\t${type} = ${r.n[i]}`);
    }
  }
  return out.sort();
}

describe('sliceRollups', () => {
  const dims = [
    ['d', 'host-a', 'gmail.com', 'Google', 'vmta1', 'pool-a', '10.0.0.1', 'job1', ''],
    ['d', 'host-a', 'yahoo.com', 'Yahoo', 'vmta1', 'pool-a', '10.0.0.1', 'job2', ''],
    ['b', 'host-a', 'gmail.com', 'Google', 'vmta2', 'pool-a', '10.0.0.2', 'job1', 'bad-mailbox'],
    ['f', 'host-a', 'gmail.com', 'Google', '', '', '10.0.0.2', 'job1', ''],
  ];
  const minute = counts([
    [T0 + 5 * MIN, 0, 3],
    [T0 + 5 * MIN, 1, 2],
    [T0 + 59 * MIN, 2, 1],
    [T0 + HOUR, 0, 4],
    [T0 + HOUR, 3, 1],
  ]);
  const hour = counts([
    [T0, 0, 3],
    [T0, 1, 2],
    [T0, 2, 1],
    [T0 + HOUR, 0, 4],
    [T0 + HOUR, 3, 1],
  ]);
  const s = sliceRollups(dims, minute, hour);
  const all = rows(s);

  it('counts all records and each provider per minute, and nothing else at minute grain', () => {
    expect(all.filter((r) => r.startsWith('minute'))).toEqual(
      [
        'minute 2026-05-01T23:05:00.000Z 0\t\td = 5',
        'minute 2026-05-01T23:05:00.000Z 3\tGoogle\td = 3',
        'minute 2026-05-01T23:05:00.000Z 3\tYahoo\td = 2',
        'minute 2026-05-01T23:59:00.000Z 0\t\tb = 1',
        'minute 2026-05-01T23:59:00.000Z 3\tGoogle\tb = 1',
        'minute 2026-05-02T00:00:00.000Z 0\t\td = 4',
        'minute 2026-05-02T00:00:00.000Z 0\t\tf = 1',
        'minute 2026-05-02T00:00:00.000Z 3\tGoogle\td = 4',
        'minute 2026-05-02T00:00:00.000Z 3\tGoogle\tf = 1',
      ].sort(),
    );
  });

  it('counts every dimension per hour, each record once per kind', () => {
    const firstHour = all.filter((r) => r.startsWith('hour 2026-05-01T23'));
    expect(firstHour.filter((r) => / 2\t/.test(r))).toEqual([
      'hour 2026-05-01T23:00:00.000Z 2\tgmail.com\tb = 1',
      'hour 2026-05-01T23:00:00.000Z 2\tgmail.com\td = 3',
      'hour 2026-05-01T23:00:00.000Z 2\tyahoo.com\td = 2',
    ]);
    expect(firstHour.filter((r) => / 7\t/.test(r))).toEqual([
      'hour 2026-05-01T23:00:00.000Z 7\tjob1\tb = 1',
      'hour 2026-05-01T23:00:00.000Z 7\tjob1\td = 3',
      'hour 2026-05-01T23:00:00.000Z 7\tjob2\td = 2',
    ]);
    // Empty values are their own key ('' = none), e.g. the bounce category of deliveries.
    expect(firstHour.filter((r) => / 8\t/.test(r))).toEqual([
      'hour 2026-05-01T23:00:00.000Z 8\t\td = 5',
      'hour 2026-05-01T23:00:00.000Z 8\tbad-mailbox\tb = 1',
    ]);
    for (let kind = 0; kind < 9; kind++) {
      const sum = all
        .filter((r) => r.startsWith('hour') && r.split(' ')[2].startsWith(`${kind}\t`))
        .reduce((n, r) => n + Number(r.split(' = ')[1]), 0);
      expect({ kind, sum }).toEqual({ kind, sum: 11 });
    }
  });

  it('adds the hours of a UTC day into its day row', () => {
    expect(all.filter((r) => r.startsWith('day') && / 0\t/.test(r))).toEqual([
      'day 2026-05-01T00:00:00.000Z 0\t\tb = 1',
      'day 2026-05-01T00:00:00.000Z 0\t\td = 5',
      'day 2026-05-02T00:00:00.000Z 0\t\td = 4',
      'day 2026-05-02T00:00:00.000Z 0\t\tf = 1',
    ]);
  });

  it('adds the days of a UTC month into its month row', () => {
    expect(all.filter((r) => r.startsWith('month') && / 0\t/.test(r))).toEqual([
      'month 2026-05-01T00:00:00.000Z 0\t\tb = 1',
      'month 2026-05-01T00:00:00.000Z 0\t\td = 9',
      'month 2026-05-01T00:00:00.000Z 0\t\tf = 1',
    ]);
    // Across a month (and year) boundary: each hour in its own UTC month.
    const edge = Date.parse('2026-12-31T23:00:00Z');
    const across = rows(
      sliceRollups(
        dims,
        new Map(),
        counts([
          [edge, 0, 2],
          [edge + HOUR, 0, 3],
        ]),
      ),
    );
    expect(across.filter((r) => r.startsWith('month') && / 0\t/.test(r))).toEqual([
      'month 2026-12-01T00:00:00.000Z 0\t\td = 2',
      'month 2027-01-01T00:00:00.000Z 0\t\td = 3',
    ]);
  });

  it('keeps any key as it is, separators included', () => {
    const odd = sliceRollups(
      [['rb', 'h', 'a\tb\u0001.com', 'P', '', '', '', '', '']],
      new Map(),
      counts([[T0, 0, 1]]),
    );
    expect(odd.id.map(sliceFields)).toContainEqual({ kind: 2, type: 'rb', key: 'a\tb\u0001.com' });
    expect(odd.id.map(sliceFields)).toContainEqual({ kind: 0, type: 'rb', key: '' });
  });

  it('numbers slices across chunks: a tuple seen before adds none, a new one only its new slices', () => {
    const dictionary = new SliceDictionary();
    dictionary.addDim(['d', 'h', 'a.com', 'Google', 'v1', 'p1', '1.1.1.1', 'j1', '']);
    const first = foldSlices(dictionary, new Map(), counts([[T0, 0, 2]]));
    expect(first.idBase).toBe(0);
    expect(first.id).toHaveLength(9);
    const again = foldSlices(dictionary, new Map(), counts([[T0 + HOUR, 0, 1]]));
    expect(again.id).toEqual([]);
    expect(Array.from(again.hour.dim).sort()).toEqual(Array.from(first.hour.dim).sort());
    // Same type, source, provider and pool; another domain, VirtualMTA, IP, job and category.
    dictionary.addDim(['d', 'h', 'b.com', 'Google', 'v2', 'p1', '2.2.2.2', 'j2', 'x']);
    const more = foldSlices(dictionary, new Map(), counts([[T0, 1, 5]]));
    expect(more.idBase).toBe(9);
    expect(more.id.map(sliceFields).map((f) => f.key)).toEqual(['b.com', 'v2', '2.2.2.2', 'j2', 'x']);
    expect(dictionary.sliceOf(1, 3)).toBe(dictionary.sliceOf(0, 3)); // Google
    expect(dictionary.sliceOf(1, 2)).toBe(9); // b.com
  });
});
