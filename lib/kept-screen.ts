import { getMinuteKeptFrom } from './queries/query-counts.ts';
import { parseScreen, type Screen } from './screen-params.ts';

/**
 * parseScreen, told where the minute rollups are kept from (MINUTE_ROLLUP_RETENTION_DAYS): 'auto'
 * then charts a range reaching before them in hours, and the bucket control does not offer
 * minutes. Without the database, as if every minute were kept: each panel says what failed.
 */
export async function parseKeptScreen(params: URLSearchParams): Promise<Screen> {
  const minuteKeptFrom = await getMinuteKeptFrom().catch(() => Number.NEGATIVE_INFINITY);
  return parseScreen(params, new Date(), minuteKeptFrom);
}
