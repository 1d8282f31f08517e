import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { computeRates, emptyCounts } from '@/lib/queries/counts.ts';
import { SortableBreakdownTable, type SparklineValues } from './sortable-breakdown-table.tsx';

describe('SortableBreakdownTable', () => {
  it('draws the trend of a row whose key is an Object.prototype name', () => {
    // VirtualMTA names and job ids are data: `__proto__` or `constructor` are keys like any other.
    const keys = ['__proto__', 'constructor', 'vmta1'];
    const rows = keys.map((key, i) => {
      const counts = { ...emptyCounts(), delivered: 10 + i, bounced: 1 };
      return { key, counts, rates: computeRates(counts) };
    });
    // `constructor` has no trend (no series came back for it).
    const sparklines = new Map<string, SparklineValues>([
      ['__proto__', { delivered: [1, 2, 3], failed: [0, 1, 0] }],
      ['vmta1', { delivered: [3, 2, 1], failed: [0, 0, 0] }],
    ]);
    const html = renderToStaticMarkup(
      createElement(SortableBreakdownTable, {
        title: 'By VirtualMTA',
        items: 'VirtualMTAs',
        keyLabel: 'VirtualMTA',
        rows,
        matched: rows.length,
        sort: 'total',
        dir: 'desc',
        sortHref: () => '/vmtas',
        detailHref: (key: string) => `/vmtas/${encodeURIComponent(key)}`,
        recordsHref: (key: string) => `/records?vmta=${encodeURIComponent(key)}`,
        sparklines,
      }),
    );
    const bodyRows = html.split('<tbody>')[1].split('</tr>').slice(0, keys.length);
    expect(bodyRows).toHaveLength(3);
    for (const [i, row] of bodyRows.entries())
      expect(row, keys[i]).toContain(`/vmtas/${encodeURIComponent(keys[i])}`);
    // Each drawn line is the row's own: rising for __proto__, falling for vmta1.
    expect(bodyRows[0]).toContain('points="1.0,18.3 60.0,9.7 119.0,1.0"');
    expect(bodyRows[2]).toContain('points="1.0,1.0 60.0,9.7 119.0,18.3"');
    // No line for `constructor`: not Object's constructor function taken for its values.
    expect(bodyRows[1]).not.toContain('<svg');
  });
});
