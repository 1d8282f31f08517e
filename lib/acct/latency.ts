// Delivery latency (timeLogged − timeQueued of a `d` row) is kept in the rollups as a histogram:
// each delivery counts once in the bucket of its latency, so percentiles for any slice and any
// window come from summed bucket counts, never from raw rows.
//
// The bounds are part of the stored data (insight_dim.value holds the bucket *index*): never edit
// or insert one; a different histogram needs a new kind of insight entry.

const SECOND = 1000;

/**
 * Upper bounds (inclusive, ms) of the latency buckets: 0 (same second: PowerMTA logs whole
 * seconds), then 1 s to 3 days on a roughly logarithmic 1–1.5–2–3–5–7 scale (each bound at most
 * 1.5× the previous beyond 4 s), so a percentile read from a bucket is within one step of the
 * truth. A latency above the last bound falls in the overflow bucket (index = length).
 */
export const LATENCY_BOUNDS_MS: readonly number[] = Object.freeze(
  [
    0, 1, 2, 3, 4, 5, 7, 10, 15, 20, 30, 45, 60, 90, 120, 180, 240, 300, 420, 600, 900, 1200, 1800, 2700,
    3600, 5400, 7200, 10800, 14400, 21600, 28800, 43200, 64800, 86400, 129600, 172800, 259200,
  ].map((s) => s * SECOND),
);

/** Number of buckets, overflow included. */
export const LATENCY_BUCKETS = LATENCY_BOUNDS_MS.length + 1;

/** The bucket of a latency: the first bound ≥ ms (negative latencies clamp to 0). */
export function latencyBucket(ms: number): number {
  let lo = 0;
  let hi = LATENCY_BOUNDS_MS.length;
  // First index whose bound is >= ms; `length` (overflow) when none is.
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (LATENCY_BOUNDS_MS[mid] < ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The buckets holding the latencies above `boundMs`, one of LATENCY_BOUNDS_MS: every bucket after
 * its own, overflow included (bucket i holds (bound i−1, bound i]). The records explorer's
 * `latencyOver` total reads these from the histograms.
 */
export function bucketsAbove(boundMs: number): number[] {
  const at = LATENCY_BOUNDS_MS.indexOf(boundMs);
  if (at < 0) throw new Error(`${boundMs} ms is not a latency bucket bound`);
  return Array.from({ length: LATENCY_BOUNDS_MS.length - at }, (_, i) => at + 1 + i);
}

/** The percentiles acctscope reads from a histogram. */
export const LATENCY_PERCENTILES = { p50: 0.5, p90: 0.9, p99: 0.99 } as const;
export type LatencyPercentile = keyof typeof LATENCY_PERCENTILES;

export interface LatencyStats {
  count: number;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  /**
   * Deliveries slower than the last bound (3 days), in the overflow bucket. A percentile whose
   * rank falls among them is more than 3 days, not at most: its value (the last bound) reads
   * "more than" (isBeyondBounds).
   */
  overflow: number;
}

/**
 * The p-th quantile (0 < p ≤ 1) of a histogram (`counts[i]` = deliveries in bucket i), in ms:
 * the **upper bound of the bucket holding the nearest rank** ceil(p × count), i.e. "p of the
 * deliveries took at most this long" — never an underestimate, at most one bucket step above the
 * exact value. In the overflow bucket it is the last bound (read: "more than 3 days").
 * null when the histogram is empty.
 */
export function histogramQuantile(counts: ArrayLike<number>, p: number): number | null {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i];
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(p * total));
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    seen += counts[i];
    if (seen >= rank) return LATENCY_BOUNDS_MS[Math.min(i, LATENCY_BOUNDS_MS.length - 1)];
  }
  return LATENCY_BOUNDS_MS[LATENCY_BOUNDS_MS.length - 1];
}

/** count, p50, p90, p99 and overflow of a histogram. */
export function latencyStats(counts: ArrayLike<number>): LatencyStats {
  let count = 0;
  for (let i = 0; i < counts.length; i++) count += counts[i];
  return {
    count,
    p50: histogramQuantile(counts, LATENCY_PERCENTILES.p50),
    p90: histogramQuantile(counts, LATENCY_PERCENTILES.p90),
    p99: histogramQuantile(counts, LATENCY_PERCENTILES.p99),
    overflow: counts[LATENCY_BOUNDS_MS.length] ?? 0,
  };
}

/**
 * Whether percentile `p` of `stats` lies in the overflow bucket: its nearest rank (as
 * histogramQuantile takes it) is among the deliveries slower than the last bound, so the value
 * means "more than 3 days" (it read "≤ 3.0 d" for deliveries of 4 days, QA).
 */
export function isBeyondBounds(stats: LatencyStats, p: LatencyPercentile): boolean {
  if (stats.count === 0 || stats.overflow === 0) return false;
  return Math.max(1, Math.ceil(LATENCY_PERCENTILES[p] * stats.count)) > stats.count - stats.overflow;
}

/** An empty histogram to add bucket counts into. */
export function emptyHistogram(): number[] {
  return new Array(LATENCY_BUCKETS).fill(0);
}
