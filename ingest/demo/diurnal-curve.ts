import type { Prng } from './prng.ts';

const HOUR = 3_600_000;

/** Relative injection volume per UTC hour for a European/US B2C sender: quiet nights, busy mornings. */
const HOURLY = [
  0.25, 0.2, 0.18, 0.18, 0.22, 0.35, 0.6, 0.85, 1.0, 1.0, 0.95, 0.9, 0.85, 0.9, 0.95, 1.0, 0.95, 0.85, 0.75,
  0.65, 0.55, 0.45, 0.38, 0.3,
];

/**
 * Traffic intensity over a window, hour by hour (with weekend dips, noise and a daily campaign
 * blast), plus its running integral so the generator can spread a fixed row budget over the
 * remaining time.
 */
export class DiurnalCurve {
  private readonly firstHour: number;
  private readonly weights: Float64Array;
  /** prefix[i] = integral of weight from the first hour's start to the start of hour i. */
  private readonly prefix: Float64Array;
  private readonly totalAtEnd: number;

  constructor(
    start: number,
    private readonly end: number,
    rng: Prng,
  ) {
    this.firstHour = Math.floor(start / HOUR);
    const hours = Math.ceil(end / HOUR) - this.firstHour + 1;
    this.weights = new Float64Array(hours);
    this.prefix = new Float64Array(hours + 1);
    let blastHour = -1;
    for (let i = 0; i < hours; i++) {
      const absolute = this.firstHour + i;
      const hourOfDay = absolute % 24;
      if (hourOfDay === 0 || i === 0) blastHour = 7 + rng.int(10);
      const weekday = new Date(absolute * HOUR).getUTCDay();
      const weekend = weekday === 0 || weekday === 6 ? 0.7 : 1;
      const blast = hourOfDay === blastHour ? 1.8 : 1;
      this.weights[i] = HOURLY[hourOfDay] * weekend * blast * (0.85 + rng.next() * 0.3);
      this.prefix[i + 1] = this.prefix[i] + this.weights[i];
    }
    this.totalAtEnd = this.integral(end);
  }

  weightAt(time: number): number {
    return this.weights[Math.floor(time / HOUR) - this.firstHour];
  }

  /** Integral of the weight (in hour units) from the first hour up to `time`. */
  integral(time: number): number {
    const idx = Math.floor(time / HOUR) - this.firstHour;
    const frac = time / HOUR - Math.floor(time / HOUR);
    return this.prefix[idx] + this.weights[idx] * frac;
  }

  /** Weighted time left in the window after `time`, in hour units. */
  remaining(time: number): number {
    return time >= this.end ? 0 : this.totalAtEnd - this.integral(time);
  }
}
