/** The rates an incident can be about. */
export const METRICS = ['bounce', 'deferral', 'complaint'] as const;
export type Metric = (typeof METRICS)[number];

/** Counts of one slice (provider × VirtualMTA or pool) over a window. */
export interface SliceCounts {
  delivered: number;
  bounced: number;
  deferred: number;
  complaints: number;
}

export interface MetricRule {
  /** Smallest denominator in the recent window before the rate is trusted (small slices don't cry wolf). */
  minVolume: number;
  /** Smallest numerator in the recent window (a single bounce is never an incident). */
  minEvents: number;
  /** The rate must reach at least this, whatever the baseline … */
  floor: number;
  /** … and at least baseline × factor … */
  factor: number;
  /** … and at least baseline + delta (absolute rate points). */
  delta: number;
}

/**
 * Defaults: a deferral wave (Gmail 4.7.28, Yahoo TSS04…) typically defers a third or more of a
 * pool's attempts at one provider; bounce blocks show up as several times the usual bounce rate;
 * complaints are judged against the providers' 0.3 % limit, with enough deliveries to mean it.
 */
export const DEFAULT_RULES: Record<Metric, MetricRule> = {
  deferral: { minVolume: 100, minEvents: 20, floor: 0.1, factor: 3, delta: 0.05 },
  bounce: { minVolume: 100, minEvents: 10, floor: 0.05, factor: 3, delta: 0.03 },
  complaint: { minVolume: 1000, minEvents: 5, floor: 0.003, factor: 2, delta: 0.001 },
};

/** An incident closes when the rate falls back under this share of the threshold (hysteresis). */
export const CLOSE_RATIO = 0.8;

/** The record types a slice's rates count (SliceCounts: d delivered, b bounced, t deferred, f complaints). */
export type CountedType = 'd' | 'b' | 't' | 'f';
const COUNT_OF: Record<CountedType, keyof SliceCounts> = {
  d: 'delivered',
  b: 'bounced',
  t: 'deferred',
  f: 'complaints',
};

/**
 * The record types on each side of a metric's rate: the same definitions as the stats' rates. One
 * table for the monitor and for the card's links to the records behind its figures (a link that
 * named other types would open a list that does not add up to the figure).
 */
export const RATIO_TYPES = {
  bounce: { events: ['b'], volume: ['d', 'b'] },
  // Deferral events per attempt: every d, b and t row is one attempt.
  deferral: { events: ['t'], volume: ['d', 'b', 't'] },
  complaint: { events: ['f'], volume: ['d'] },
} as const satisfies Record<Metric, { events: readonly CountedType[]; volume: readonly CountedType[] }>;

const sumOf = (c: SliceCounts, types: readonly CountedType[]) =>
  types.reduce((n, t) => n + c[COUNT_OF[t]], 0);

/** Numerator and denominator of a metric (RATIO_TYPES). */
export function ratioOf(metric: Metric, c: SliceCounts): { events: number; volume: number } {
  const types = RATIO_TYPES[metric];
  return { events: sumOf(c, types.events), volume: sumOf(c, types.volume) };
}

export function rateOf(metric: Metric, c: SliceCounts): number | null {
  const { events, volume } = ratioOf(metric, c);
  return volume === 0 ? null : events / volume;
}

/**
 * When a rate over `threshold` began, from per-minute counts (oldest first): the earliest minute
 * with traffic from which the rate stays over the threshold, i.e. the rate from that minute through
 * each later one is at least the threshold (minutes without traffic change nothing); null if none.
 * Checking only the minute's own rate and the rate from it to now, one deferral of one attempt in a
 * quiet minute put the start of a wave that came 22 minutes later at that minute; now the quiet
 * minutes after it pull the rate from it under the threshold, and the wave's first minute is found.
 */
export function onsetOf(
  minutes: readonly { t: Date; counts: SliceCounts }[],
  metric: Metric,
  threshold: number,
): Date | null {
  for (let i = 0; i < minutes.length; i++) {
    if (ratioOf(metric, minutes[i].counts).volume === 0) continue;
    let events = 0;
    let volume = 0;
    let stays = true;
    for (let k = i; k < minutes.length && stays; k++) {
      const r = ratioOf(metric, minutes[k].counts);
      events += r.events;
      volume += r.volume;
      if (r.volume > 0 && events < threshold * volume) stays = false;
    }
    if (stays) return minutes[i].t;
  }
  return null;
}

/**
 * Whether a bounce or deferral wave is still on at the window's end, from the window's per-minute
 * counts (oldest first): over its last `tailMinutes`, the rate is at least `threshold` and the
 * events keep the pace the window needs (rule.minEvents over the window, prorated to the tail; at
 * least one). A wave that had ended still held the whole window's rate up, and opened incidents
 * during the recovery (QA: two bounce incidents opened 3 minutes after the last bounce); and when
 * traffic had all but stopped, one deferred attempt in the tail, a rate of 100 %, was enough.
 * Complaints arrive hours after the mail and are judged on the window alone (always true).
 */
export function goingOnAtEnd(
  minutes: readonly { counts: SliceCounts }[],
  metric: Metric,
  threshold: number,
  rule: MetricRule,
  tailMinutes: number,
  windowMinutes: number,
): boolean {
  if (metric === 'complaint' || tailMinutes <= 0) return true;
  let events = 0;
  let volume = 0;
  for (const m of minutes.slice(-tailMinutes)) {
    const r = ratioOf(metric, m.counts);
    events += r.events;
    volume += r.volume;
  }
  const pace = Math.max(
    1,
    Math.ceil((rule.minEvents * Math.min(tailMinutes, windowMinutes)) / windowMinutes),
  );
  return volume > 0 && events >= pace && events >= threshold * volume;
}

/** The rate the recent window must reach to be an incident, given the slice's own baseline. */
export function thresholdFor(rule: MetricRule, baseline: number | null): number {
  const b = baseline ?? 0;
  return Math.max(rule.floor, b * rule.factor, b + rule.delta);
}

export interface Verdict {
  metric: Metric;
  current: number;
  baseline: number | null;
  threshold: number;
  events: number;
  volume: number;
  /** True when the rate is an incident now; false when it is normal again (closes an open one). */
  firing: boolean;
  /** True when the window has too little volume to open an incident on. */
  undecided: boolean;
}

/** Judges one metric of one slice: recent window vs its own baseline. */
export function judge(
  metric: Metric,
  recent: SliceCounts,
  baseline: SliceCounts,
  rule: MetricRule = DEFAULT_RULES[metric],
  open = false,
  openedAt?: number,
): Verdict {
  const { events, volume } = ratioOf(metric, recent);
  const current = volume === 0 ? 0 : events / volume;
  const base = rateOf(metric, baseline);
  // An open incident is judged against the threshold it opened at (`openedAt`, the one its card
  // shows): the baseline is the 7 days before the window, which takes in the incident's own first
  // minutes once they leave the window, raising the threshold the longer it lasts. The Gmail
  // pool-b incident of the demo closed at 39.77 % while its card said "threshold 46.99 %", over
  // 80 % of it (QA).
  const threshold = open && openedAt !== undefined ? openedAt : thresholdFor(rule, base);
  const undecided = volume < rule.minVolume;
  const limit = open ? threshold * CLOSE_RATIO : threshold;
  // Opening needs volume and events; an open incident lasts while the rate stays high at any
  // volume, and ends when it is normal again or the slice has no traffic left in the window.
  const firing = open
    ? volume > 0 && current >= limit
    : !undecided && events >= rule.minEvents && current >= limit;
  return { metric, current, baseline: base, threshold, events, volume, firing, undecided };
}
