import { describe, expect, it } from 'vitest';
import { applyBreakdownView, outsideColumns, parseBreakdownView, type ViewRow } from './breakdown-view.ts';
import { ParamError } from './filters.ts';
import { computeRates, emptyCounts } from './queries/counts.ts';

function row(key: string, delivered: number, bounced: number, complaints = 0): ViewRow {
  const counts = { ...emptyCounts(), delivered, bounced, complaints };
  return { key, counts, rates: computeRates(counts) };
}

const ROWS = [
  row('gmail.com', 900, 100, 3),
  row('yahoo.com', 50, 50),
  row('aol.com', 0, 0),
  row('gmx.de', 300, 3),
];

describe('parseBreakdownView', () => {
  it('defaults to the largest first, 100 rows', () => {
    expect(parseBreakdownView(new URLSearchParams())).toEqual({
      sort: 'total',
      dir: 'desc',
      search: '',
      limit: 100,
    });
    expect(parseBreakdownView(new URLSearchParams('sort=key')).dir).toBe('asc');
  });
  it('names the bad parameter', () => {
    expect(() => parseBreakdownView(new URLSearchParams('sort=size'))).toThrow(ParamError);
    expect(() => parseBreakdownView(new URLSearchParams('limit=0'))).toThrow(/limit/);
    expect(() => parseBreakdownView(new URLSearchParams('dir=up'))).toThrow(/dir/);
  });
});

describe('applyBreakdownView', () => {
  const view = (q: string) => parseBreakdownView(new URLSearchParams(q));
  const keys = (q: string) => applyBreakdownView(ROWS, view(q)).rows.map((r) => r.key);

  it('sorts by any column, both ways, rows without a rate last', () => {
    expect(keys('')).toEqual(['gmail.com', 'gmx.de', 'yahoo.com', 'aol.com']);
    expect(keys('sort=bounceRate')).toEqual(['yahoo.com', 'gmail.com', 'gmx.de', 'aol.com']);
    expect(keys('sort=bounceRate&dir=asc')).toEqual(['gmx.de', 'gmail.com', 'yahoo.com', 'aol.com']);
    expect(keys('sort=key')).toEqual(['aol.com', 'gmail.com', 'gmx.de', 'yahoo.com']);
    expect(keys('sort=complaints')).toEqual(['gmail.com', 'aol.com', 'gmx.de', 'yahoo.com']);
  });

  it('searches keys case-insensitively and counts all matches before the limit', () => {
    expect(keys('search=GM')).toEqual(['gmail.com', 'gmx.de']);
    const r = applyBreakdownView(ROWS, view('search=.com&limit=1'));
    expect(r.rows.map((x) => x.key)).toEqual(['gmail.com']);
    expect(r.matched).toBe(3);
  });

  it('finds a Unicode domain by its punycode spelling, whole or a label of it', () => {
    const rows = [row('bücher.de', 10, 0), row('xn--zz.example', 1, 0), row('gmail.com', 5, 0)];
    const found = (q: string) => applyBreakdownView(rows, view(q)).rows.map((r) => r.key);
    expect(found('search=xn--bcher-kva.de')).toEqual(['bücher.de']);
    expect(found('search=XN--BCHER-KVA')).toEqual(['bücher.de']);
    expect(found('search=bücher')).toEqual(['bücher.de']);
    // A spelling that does not decode is looked for as written.
    expect(found('search=xn--zz')).toEqual(['xn--zz.example']);
  });

  it('finds a Unicode domain by any part of its punycode, which does not decode (found nothing, QA)', () => {
    const rows = [
      row('münchen.de', 10, 0),
      row('bücher.de', 3, 0),
      row('gmail.com', 5, 0),
      row('(none)', 1, 0),
    ];
    const found = (q: string) => applyBreakdownView(rows, view(q)).rows.map((r) => r.key);
    expect(found('search=xn--mnchen-3ya')).toEqual(['münchen.de']);
    expect(found('search=xn--mnchen')).toEqual(['münchen.de']);
    expect(found('search=mnchen-3ya.de')).toEqual(['münchen.de']);
    expect(found('search=XN--')).toEqual(['münchen.de', 'bücher.de']);
    expect(found('search=kva.de')).toEqual(['bücher.de']);
    // The Unicode spelling, and plain text, as before.
    expect(found('search=münchen')).toEqual(['münchen.de']);
    expect(found('search=.de')).toEqual(['münchen.de', 'bücher.de']);
  });
});

describe('outsideColumns', () => {
  it('names the records of a row with nothing in the columns, by type, only those it has', () => {
    // The VirtualMTAs' "(none)" of the demo: received mail, remote bounces and statuses.
    const none = { ...emptyCounts(), received: 9247, remoteBounced: 10, remoteStatus: 4 };
    expect(outsideColumns(none)).toEqual([
      { key: 'received', type: 'r', n: 9247 },
      { key: 'remoteBounced', type: 'rb', n: 10 },
      { key: 'remoteStatus', type: 'rs', n: 4 },
    ]);
    // A VirtualMTA whose only record in the range is a queue deferral (tq).
    expect(outsideColumns({ ...emptyCounts(), queueDeferred: 1 })).toEqual([
      { key: 'queueDeferred', type: 'tq', n: 1 },
    ]);
  });
  it('leaves a row with any count in the columns as it is, whatever else it holds', () => {
    for (const key of ['delivered', 'bounced', 'deferred', 'complaints'] as const) {
      expect(outsideColumns({ ...emptyCounts(), received: 5, [key]: 1 })).toBeNull();
    }
  });
});
