import { MisspeltParams } from '@/components/misspelt-params.tsx';
import { ParamErrorMessage } from '@/components/param-error.tsx';
import { SincePicker } from '@/components/since-picker.tsx';
import { wallTimeFormat } from '@/lib/acct/format.ts';
import { ParamError, parseTimeZone } from '@/lib/filters.ts';
import {
  DEFAULT_SINCE_DAYS,
  parseSuppressionQuery,
  type SuppressionQuery,
} from '@/lib/queries/get-suppressions.ts';
import { getRawKeptFrom } from '@/lib/queries/query-counts.ts';
import { toSearchParams } from '@/lib/search-params.ts';
import { Streamed } from '../_sections/streamed.tsx';
import { SuppressionList } from './suppression-list.tsx';
import { SuppressionReasons } from './suppression-reasons.tsx';

export const dynamic = 'force-dynamic';

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/**
 * Suppressions are read from raw records: with a raw retention, a recipient's events before it are
 * gone, so one first suppressed before then is listed at its first event kept.
 */
async function RetentionNote({ tz }: { tz: string }) {
  // Unknown (the database is down): the list below says so; no note rather than a second error.
  const rawFrom = await getRawKeptFrom().catch(() => Number.NEGATIVE_INFINITY);
  if (!Number.isFinite(rawFrom)) return null;
  return (
    <p
      className="mb-3 rounded bg-amber-50 px-2 py-1 text-sm text-amber-900 dark:bg-amber-950/40 dark:text-amber-100"
      data-testid="suppressions-retention"
    >
      Raw records before {wallTimeFormat(tz, false).format(new Date(rawFrom))} ({tz}) are no longer kept
      (RAW_RETENTION_DAYS): a recipient is listed at its first suppression event since then, and its count
      holds only the events since then.
    </p>
  );
}

/** Recipients to remove from the list: first hard bounce, remote bounce or complaint of each. */
export default async function SuppressionsPage({ searchParams }: { searchParams: SearchParams }) {
  const params = toSearchParams(await searchParams);
  let query: SuppressionQuery;
  let tz: string;
  try {
    query = parseSuppressionQuery(params, 200);
    tz = parseTimeZone(params);
  } catch (error) {
    if (!(error instanceof ParamError)) throw error;
    return <ParamErrorMessage error={error} />;
  }
  const stateKey = params.toString();
  return (
    <>
      <div className="mb-4 flex flex-wrap items-center justify-between gap-2">
        <h1 className="text-xl font-semibold">Suppressions</h1>
        <SincePicker
          since={query.since}
          params={params}
          tz={tz}
          label="First suppressed in the last"
          defaultDays={DEFAULT_SINCE_DAYS}
        />
      </div>
      <MisspeltParams />
      <Streamed title="Raw retention" stateKey="retention" height="h-0">
        <RetentionNote tz={tz} />
      </Streamed>
      <Streamed title="Suppressions by reason" stateKey={stateKey} height="h-16">
        <SuppressionReasons query={query} tz={tz} />
      </Streamed>
      <div className="mt-4">
        <Streamed title="Suppressions" stateKey={stateKey} height="h-64">
          <SuppressionList query={query} params={params} tz={tz} />
        </Streamed>
      </div>
    </>
  );
}
