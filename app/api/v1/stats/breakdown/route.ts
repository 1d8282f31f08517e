import type { NextRequest } from 'next/server';
import { COUNT_KEYS } from '@/lib/acct/types.ts';
import { type CsvColumn, toCsv, windowFileName } from '@/lib/api/csv.ts';
import { apiParams, WINDOW_PARAMS } from '@/lib/api/params.ts';
import { handleJsonOrCsv } from '@/lib/api/respond.ts';
import { applyBreakdownView, parseBreakdownView } from '@/lib/breakdown-view.ts';
import { ParamError, parseChoice, parseFilters, parseLimit } from '@/lib/filters.ts';
import { DIMENSIONS, type Dimension } from '@/lib/queries/count-query.ts';
import { type BreakdownRow, getBreakdown, getBreakdownThen } from '@/lib/queries/get-breakdown.ts';

export { DELETE, OPTIONS, PATCH, POST, PUT } from '@/lib/api/read-only.ts';

export const dynamic = 'force-dynamic';

const PARAMS = [...WINDOW_PARAMS, 'by', 'thenBy', 'sort', 'dir', 'search', 'limit', 'format'];

/**
 * Counts per value of one dimension: JSON `{ by, rows, totalRows }` (`limit`, default 50), or
 * (`format=csv`, or Accept: text/csv) every row as CSV (`limit`, default all): the key, each count,
 * the three rates (empty without a denominator) and the window. Largest first, or as a breakdown
 * screen shows them: `sort`, `dir` and `search` (a substring of the key) as on the screens, so a
 * screen's "Download CSV" holds its rows in its order. With `thenBy` (another dimension), each row
 * also lists its counts per key of that one (`parts: [{ key, counts, rates }]`, largest first): the
 * pools of each provider; the CSV then has a line per pair.
 */
export function GET(request: NextRequest) {
  const read = async (limit: { fallback: number; max: number }) => {
    const params = apiParams(request.nextUrl, PARAMS);
    const filters = parseFilters(params);
    const by = parseChoice(params, 'by', Object.keys(DIMENSIONS) as Dimension[]);
    const viewParams = new URLSearchParams(params);
    viewParams.delete('limit'); // this endpoint's own limit, below
    const view = { ...parseBreakdownView(viewParams), limit: parseLimit(params, limit.fallback, limit.max) };
    const thenBy = params.has('thenBy')
      ? parseChoice(params, 'thenBy', Object.keys(DIMENSIONS) as Dimension[])
      : null;
    if (thenBy === by) throw new ParamError(`thenBy must be another dimension than by (${by})`, 'thenBy');
    const rows: (BreakdownRow & { parts?: BreakdownRow[] })[] = thenBy
      ? await getBreakdownThen(filters, by, thenBy)
      : (await getBreakdown(filters, by, Number.MAX_SAFE_INTEGER)).rows;
    const shown = applyBreakdownView(rows, view);
    return { filters, by, thenBy, rows: shown.rows, totalRows: shown.matched };
  };
  return handleJsonOrCsv(
    request,
    async () => {
      const { by, thenBy, rows, totalRows } = await read({ fallback: 50, max: 1000 });
      return thenBy ? { by, thenBy, rows, totalRows } : { by, rows, totalRows };
    },
    async () => {
      const { filters, by, thenBy, rows } = await read({ fallback: 1_000_000, max: 1_000_000 });
      const window = { from: filters.from.toISOString(), to: filters.to.toISOString() };
      // With `thenBy`, a line per pair: the row's key, the pair's key and the pair's counts.
      type Line = BreakdownRow & { by: string };
      const lines: Line[] = thenBy
        ? rows.flatMap((r) => (r.parts ?? []).map((t) => ({ ...t, by: r.key })))
        : rows.map((r) => ({ ...r, by: r.key }));
      const columns: CsvColumn<Line>[] = [
        { name: by, value: (r) => r.by },
        ...(thenBy ? [{ name: thenBy, value: (r: Line) => r.key }] : []),
        ...Object.values(COUNT_KEYS).map((c) => ({ name: c, value: (r: Line) => r.counts[c] })),
        { name: 'deliveryRate', value: (r) => r.rates.delivery },
        { name: 'bounceRate', value: (r) => r.rates.bounce },
        { name: 'complaintRate', value: (r) => r.rates.complaint },
        { name: 'from', value: () => window.from },
        { name: 'to', value: () => window.to },
      ];
      return {
        csv: toCsv(columns, lines),
        filename: windowFileName(`breakdown-${by}${thenBy ? `-${thenBy}` : ''}`, filters.from, filters.to),
      };
    },
  );
}
