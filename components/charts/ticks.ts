import { bucketLabel } from '@/lib/acct/format.ts';

/**
 * Room right of the plot for the last x-axis label, centred on the last bucket ("6 Dec, 10:00" is
 * ~80 px at 12 px): with less it was cut off at the chart's edge.
 */
export const X_LABEL_OVERHANG = 40;

/** At most this many x-axis labels ("10 Jan, 14:05" is ~80 px at 12 px: 8 fit a laptop-wide chart). */
const MAX_X_LABELS = 8;

/**
 * Recharts' `interval` for an x axis of `n` categories: every k-th label, so at most MAX_X_LABELS
 * show. A number also spares Recharts measuring every label in the DOM to drop overlapping ones
 * (`minTickGap`): one forced layout per bucket, ~60 ms on a 7-day hourly chart.
 */
export function xTickInterval(n: number, max = MAX_X_LABELS): number {
  return Math.max(0, Math.ceil(n / max) - 1);
}

/** Room one x label needs ("10 Jan, 14:05" at 12 px, with a gap). */
const X_LABEL_PX = 96;

/**
 * How many x labels a plot `width` px wide holds: MAX_X_LABELS on a laptop-wide chart, fewer on a
 * phone (at 390 px eight labels ran into each other); MAX_X_LABELS before the width is measured.
 */
export function xLabelsFor(width: number | null): number {
  if (!width) return MAX_X_LABELS;
  return Math.max(2, Math.min(MAX_X_LABELS, Math.floor(width / X_LABEL_PX)));
}

/** `ticks` thinned to at most `max`: every k-th, from the first. */
export function thinTicks(ticks: string[], max: number): string[] {
  if (ticks.length <= max) return ticks;
  const k = Math.ceil(ticks.length / max);
  return ticks.filter((_, i) => i % k === 0);
}

/** Label steps of a time axis, in minutes: each a round step of the wall clock or calendar. */
const TIME_STEPS_MIN = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2 * 1440, 7 * 1440, 14 * 1440];

interface WallTime {
  minuteOfDay: number;
  /** Days since 1970-01-01 of the wall date (so steps of days are counted alike everywhere). */
  day: number;
  monday: boolean;
}

function wallTimes(starts: readonly string[], tz: string): WallTime[] {
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    weekday: 'short',
  });
  return starts.map((iso) => {
    const p: Record<string, string> = {};
    for (const part of fmt.formatToParts(new Date(iso))) p[part.type] = part.value;
    const day = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day)) / 86_400_000;
    return { minuteOfDay: Number(p.hour) * 60 + Number(p.minute), day, monday: p.weekday === 'Mon' };
  });
}

function onStep(w: WallTime, step: number): boolean {
  if (step < 1440) return w.minuteOfDay % step === 0;
  if (w.minuteOfDay !== 0) return false;
  if (step === 7 * 1440) return w.monday;
  if (step === 14 * 1440) return w.monday && Math.floor((w.day - 4) / 7) % 2 === 0;
  return w.day % (step / 1440) === 0;
}

/**
 * The buckets of a time axis to label (bucket starts, ISO): those on the roundest wall-clock step
 * in `tz` that labels at most MAX_X_LABELS of them (every 3 h, midnights, Mondays…), so a 7-day
 * chart reads "30 Nov, 00:00", "1 Dec, 00:00"… instead of every 22nd hour ("30 Nov, 09:00",
 * "1 Dec, 07:00"). Null when no step fits (the caller then labels every k-th bucket).
 */
export function roundTimeTicks(starts: readonly string[], tz: string): string[] | null {
  if (starts.length <= MAX_X_LABELS) return [...starts];
  const spacing = (Date.parse(starts[1]) - Date.parse(starts[0])) / 60_000;
  const walls = wallTimes(starts, tz);
  for (const step of TIME_STEPS_MIN) {
    if (step < spacing) continue;
    const ticks = starts.filter((_, i) => onStep(walls[i], step));
    if (ticks.length > 0 && ticks.length <= MAX_X_LABELS) return ticks;
  }
  return null;
}

const MINUTE_S = 60;
const HOUR_S = 60 * MINUTE_S;
const DAY_S = 24 * HOUR_S;
/** Durations a log-like axis is labelled at (seconds), each 6–10 × the one before. */
const DURATION_LADDER_S = [0, 1, 10, MINUTE_S, 10 * MINUTE_S, HOUR_S, 6 * HOUR_S, DAY_S, 7 * DAY_S];

/**
 * Ticks of a symlog axis of durations in seconds whose largest value is `max`: 0, 1 s, 10 s,
 * 1 min, 10 min, 1 h, 6 h, 1 d, 7 d up to the first at or above `max`, which tops the axis. On a
 * linear axis a p99 of hours flattened the p50 and p90 of seconds onto the zero line, and its
 * ticks fell on odd durations ("1 h 40 min").
 */
export function durationTicks(max: number): number[] {
  const ticks: number[] = [];
  for (const t of DURATION_LADDER_S) {
    ticks.push(t);
    if (t >= max && t > 0) return ticks;
  }
  return [...ticks, Math.ceil(max / DAY_S) * DAY_S];
}

/**
 * Ticks of a linear axis from 0 whose data reach `max`: at most `intervals` equal steps of 1, 2,
 * 2.5 or 5 × a power of ten, the last at or above `max` topping the axis. Recharts, given a domain
 * ending at the data's maximum, labelled that maximum ("0.704 %" above "0.600 %").
 */
export function linearTicks(max: number, intervals = 4): number[] | undefined {
  if (!(max > 0) || !Number.isFinite(max)) return undefined;
  const raw = max / intervals;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw * (1 - 1e-9)) ?? raw;
  const n = Math.ceil(max / step - 1e-9);
  return Array.from({ length: n + 1 }, (_, i) => Number((i * step).toPrecision(12)));
}

/**
 * Percent labels for a rate axis' ticks, all with the fewest decimals that show each exactly
 * ("0 %", "0.2 %", "0.4 %"; "0.25 %" where a step needs two): formatPercent gave "0.00 %" beside
 * "0.200 %".
 */
export function percentTickFormatter(ticks: readonly number[]): (rate: number) => string {
  const exact = (d: number) =>
    ticks.every((t) => Math.abs(t * 100 * 10 ** d - Math.round(t * 100 * 10 ** d)) < 1e-6);
  let decimals = 0;
  while (decimals < 6 && !exact(decimals)) decimals++;
  return (rate) => `${(rate * 100).toFixed(decimals)} %`;
}

/** A durationTicks value as an axis label: "0", "10 s", "10 min", "6 h", "7 d". */
export function durationTickLabel(seconds: number): string {
  if (seconds === 0) return '0';
  if (seconds < MINUTE_S) return `${seconds} s`;
  if (seconds < HOUR_S) return `${seconds / MINUTE_S} min`;
  if (seconds < DAY_S) return `${seconds / HOUR_S} h`;
  return `${seconds / DAY_S} d`;
}

/**
 * The x axis of a chart of time buckets (`t`, ISO starts) in the display zone: each bucket's
 * label and the buckets labelled. Every time chart spreads it into its chart's props.
 */
export function timeAxis(points: readonly { t: string }[], tz: string) {
  return {
    indexFormatter: bucketLabel(tz),
    xTicks: roundTimeTicks(
      points.map((p) => p.t),
      tz,
    ),
  };
}
