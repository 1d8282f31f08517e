import type { NextRequest } from 'next/server';
import type { Counts } from '@/lib/acct/types.ts';
import { toCsv } from '@/lib/api/csv.ts';
import { handleJsonOrCsv } from '@/lib/api/respond.ts';
import { parseChoice, parseFilters, parseLimit } from '@/lib/filters.ts';
import { DIMENSIONS, type Dimension } from '@/lib/queries/count-query.ts';
import { type BreakdownRow, getBreakdown } from '@/lib/queries/get-breakdown.ts';

export const dynamic = 'force-dynamic';

const COUNT_COLUMNS: (keyof Counts)[] = [
  'delivered',
  'bounced',
  'deferred',
  'queueDeferred',
  'complaints',
  'received',
  'remoteBounced',
  'remoteStatus',
];

/**
 * Counts per value of one dimension, largest first: JSON `{ by, rows, totalRows }` (`limit`,
 * default 50), or (`format=csv`, or Accept: text/csv) every row as CSV (`limit`, default all):
 * the key, each count, the three rates (empty without a denominator) and the window.
 */
export function GET(request: NextRequest) {
  const params = request.nextUrl.searchParams;
  const parse = () => ({
    filters: parseFilters(params),
    by: parseChoice(params, 'by', Object.keys(DIMENSIONS) as Dimension[]),
  });
  return handleJsonOrCsv(
    request,
    async () => {
      const { filters, by } = parse();
      return getBreakdown(filters, by, parseLimit(params, 50, 1000));
    },
    async () => {
      const { filters, by } = parse();
      const { rows } = await getBreakdown(filters, by, parseLimit(params, 1_000_000, 1_000_000));
      const window = { from: filters.from.toISOString(), to: filters.to.toISOString() };
      const columns: { name: string; value: (r: BreakdownRow) => unknown }[] = [
        { name: by, value: (r) => r.key },
        ...COUNT_COLUMNS.map((c) => ({ name: c, value: (r: BreakdownRow) => r.counts[c] })),
        { name: 'deliveryRate', value: (r) => r.rates.delivery },
        { name: 'bounceRate', value: (r) => r.rates.bounce },
        { name: 'complaintRate', value: (r) => r.rates.complaint },
        { name: 'from', value: () => window.from },
        { name: 'to', value: () => window.to },
      ];
      return { csv: toCsv(columns, rows), filename: `breakdown-${by}.csv` };
    },
  );
}
