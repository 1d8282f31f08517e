/**
 * A count's link to the records explorer carries the count it was shown as (`shown=<n>.<sig>`), so
 * the explorer can say when its total differs: a live screen's count covers the minute in progress,
 * and a moment later that minute holds more records; a lagging host's worker adds older ones. The
 * signature is of the link's query (without `shown` and paging), so a filter changed in the
 * explorer drops the comparison instead of comparing another slice with that count.
 */
export const SHOWN_PARAM = 'shown';

/** Parameters that do not change which records a list holds (its paging and refresh). */
const NOT_SLICE = new Set([SHOWN_PARAM, 'cursor', 'limit', 'refresh']);

/** FNV-1a (32 bits) over the slice's parameters, sorted: a fingerprint, not a secret. */
export function sliceSignature(params: URLSearchParams): string {
  const pairs = [...params]
    .filter(([k]) => !NOT_SLICE.has(k))
    .map(([k, v]) => `${k}=${v}`)
    .sort();
  let h = 0x811c9dc5;
  for (const ch of pairs.join('&')) {
    h ^= ch.codePointAt(0) ?? 0;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36);
}

/** `href` (a records explorer link) with the count it is shown as; other links unchanged. */
export function withShownCount(href: string, n: number): string {
  if (!href.startsWith('/records?')) return href;
  const params = new URLSearchParams(href.slice('/records?'.length));
  params.set(SHOWN_PARAM, `${n}.${sliceSignature(params)}`);
  return `/records?${params.toString()}`;
}

/** The count a link was shown as, when the explorer still shows that link's slice; else null. */
export function readShownCount(params: URLSearchParams): number | null {
  const m = /^(\d{1,15})\.([0-9a-z]{1,7})$/.exec(params.get(SHOWN_PARAM) ?? '');
  if (!m || m[2] !== sliceSignature(params)) return null;
  return Number(m[1]);
}
