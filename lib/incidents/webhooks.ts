import type { Logger } from 'pino';

/** Waits between attempts of one notification: it is tried 4 times over about a minute. */
export const RETRY_DELAYS_MS = [0, 2_000, 10_000, 45_000];
const ATTEMPT_TIMEOUT_MS = 5_000;

/**
 * POSTs `payload` as JSON to every URL, retrying with backoff on network errors and non-2xx
 * answers. Never throws; callers do not await it on the ingest path.
 */
export async function postWebhooks(
  urls: string[],
  payload: unknown,
  logger: Logger,
  delays: number[] = RETRY_DELAYS_MS,
): Promise<{ url: string; ok: boolean; attempts: number }[]> {
  const body = JSON.stringify(payload);
  // Which notification a failure line is about (the event and the incident's id).
  const p = payload as { event?: unknown; incident?: { id?: unknown } } | null;
  const about = { event: p?.event, incidentId: p?.incident?.id };
  return Promise.all(
    urls.map(async (url) => {
      let attempts = 0;
      for (const delay of delays) {
        if (delay) await new Promise((r) => setTimeout(r, delay));
        attempts++;
        try {
          const res = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'user-agent': 'acctscope-incidents' },
            body,
            signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
          });
          if (res.ok) return { url, ok: true, attempts };
          logger.warn(
            { url, status: res.status, attempts, ...about },
            'incident webhook answered with an error',
          );
        } catch (error) {
          logger.warn({ url, err: error, attempts, ...about }, 'incident webhook failed');
        }
      }
      logger.error({ url, attempts, ...about }, 'incident webhook given up');
      return { url, ok: false, attempts };
    }),
  );
}
