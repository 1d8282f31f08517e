import { FILTER_PARAMS } from './filters.ts';

/**
 * Every parameter a screen reads (window, zone and chart, filters, table view, records explorer,
 * insight views). A screen ignores the others: a link from another tool may carry its own
 * (utm_source…), and refusing those would break it.
 */
export const SCREEN_PARAMS: readonly string[] = [
  'from',
  'to',
  'range',
  'tz',
  'bucket',
  'refresh',
  'compare',
  ...FILTER_PARAMS,
  'sort',
  'dir',
  'search',
  'limit',
  'minDelivered',
  'matrix',
  'cursor',
  'by',
  'type',
  'rcpt',
  'q',
  'diag',
  'template',
  'queue',
  'dsnCode',
  'suppression',
  'latency',
  'latencyOver',
  'fileId',
  'shown',
  'since',
  'until',
  'status',
  'metric',
  'trend',
  'format',
];

/** Edit distance with adjacent transpositions (optimal string alignment). */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.length][b.length];
}

/**
 * The parameters of a screen's URL that look like a misspelt one it reads (`Domain`, `vmtas`,
 * `provdier`), each with the one it most likely meant. A screen ignores a name it does not read,
 * so such a link showed every record, unfiltered, without a word (the API answers 400). Names
 * like no parameter (another tool's) are not returned.
 */
export function misspeltParams(params: URLSearchParams): { name: string; like: string }[] {
  const out: { name: string; like: string }[] = [];
  for (const name of new Set(params.keys())) {
    if (SCREEN_PARAMS.includes(name)) continue;
    const lower = name.toLowerCase();
    let best: { like: string; d: number } | null = null;
    for (const known of SCREEN_PARAMS) {
      const k = known.toLowerCase();
      const d = lower === k ? 0 : distance(lower, k);
      // Short names are too alike to guess between (to, tz, q): only their case is forgiven.
      const near = k.length <= 3 ? d === 0 : d <= (k.length >= 10 ? 3 : k.length >= 6 ? 2 : 1);
      if (near && (best === null || d < best.d)) best = { like: known, d };
    }
    if (best) out.push({ name, like: best.like });
  }
  return out;
}
