import type { NextRequest } from 'next/server';
import { windowFileName } from '@/lib/api/csv.ts';
import { apiParams, RECORDS_PARAMS } from '@/lib/api/params.ts';
import { handleJsonOrCsv } from '@/lib/api/respond.ts';
import { ParamError } from '@/lib/filters.ts';
import { exportRecords } from '@/lib/queries/export-records.ts';
import { getRecords, parseRecordQuery } from '@/lib/queries/get-records.ts';

export { DELETE, OPTIONS, PATCH, POST, PUT } from '@/lib/api/read-only.ts';

export const dynamic = 'force-dynamic';

/**
 * The records behind a count, as JSON pages `{ records, nextCursor }`, or (`format=csv`, or
 * Accept: text/csv) every matching record as one streamed CSV file, read in one snapshot
 * (export-records.ts); `limit` and `cursor` are for pages and are refused with CSV.
 */
export function GET(request: NextRequest) {
  const params = () => apiParams(request.nextUrl, RECORDS_PARAMS);
  return handleJsonOrCsv(
    request,
    () => getRecords(parseRecordQuery(params(), 50)),
    async () => {
      const p = params();
      for (const name of ['limit', 'cursor']) {
        if (p.has(name)) {
          throw new ParamError(`${name} does not apply to CSV: the CSV holds every matching record`, name);
        }
      }
      const query = parseRecordQuery(p, 50);
      return {
        csv: await exportRecords(query),
        filename: windowFileName('records', query.filters.from, query.filters.to),
      };
    },
  );
}
