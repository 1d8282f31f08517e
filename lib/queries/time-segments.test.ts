import { describe, expect, it } from 'vitest';
import { splitTimeRange } from './time-segments.ts';

const d = (s: string) => new Date(s);
const show = (segs: ReturnType<typeof splitTimeRange>) =>
  segs.map((s) => `${s.table} ${s.from.toISOString().slice(11, 23)}-${s.to.toISOString().slice(11, 23)}`);

describe('splitTimeRange', () => {
  it('uses hour rollups for whole hours, minutes for the edges and raw rows for sub-minute edges', () => {
    expect(
      show(splitTimeRange(d('2026-01-01T10:17:30.500Z'), d('2026-01-01T13:05:10Z'), { allowHour: true })),
    ).toEqual([
      'raw 10:17:30.500-10:18:00.000',
      'minute 10:18:00.000-11:00:00.000',
      'hour 11:00:00.000-13:00:00.000',
      'minute 13:00:00.000-13:05:00.000',
      'raw 13:05:00.000-13:05:10.000',
    ]);
  });
  it('never uses hour rollups when they are not allowed (minute buckets, half-hour zones)', () => {
    expect(
      show(splitTimeRange(d('2026-01-01T10:00:00Z'), d('2026-01-01T13:00:00Z'), { allowHour: false })),
    ).toEqual(['minute 10:00:00.000-13:00:00.000']);
  });
  it('reads a range inside one minute from raw rows only', () => {
    expect(
      show(splitTimeRange(d('2026-01-01T10:00:10Z'), d('2026-01-01T10:00:50Z'), { allowHour: true })),
    ).toEqual(['raw 10:00:10.000-10:00:50.000']);
  });
  it('uses day rollups for whole UTC days when allowed, hours and minutes around them', () => {
    const segs = splitTimeRange(d('2026-01-01T20:17:30Z'), d('2026-01-04T03:05:00Z'), {
      allowHour: true,
      allowDay: true,
    });
    expect(
      segs.map((s) => `${s.table} ${s.from.toISOString().slice(0, 19)}-${s.to.toISOString().slice(0, 19)}`),
    ).toEqual([
      'raw 2026-01-01T20:17:30-2026-01-01T20:18:00',
      'minute 2026-01-01T20:18:00-2026-01-01T21:00:00',
      'hour 2026-01-01T21:00:00-2026-01-02T00:00:00',
      'day 2026-01-02T00:00:00-2026-01-04T00:00:00',
      'hour 2026-01-04T00:00:00-2026-01-04T03:00:00',
      'minute 2026-01-04T03:00:00-2026-01-04T03:05:00',
    ]);
  });
  it('reads a day mostly inside the range as the day minus its hours outside it', () => {
    const fmt = (segs: ReturnType<typeof splitTimeRange>) =>
      segs.map(
        (s) =>
          `${s.negate ? '-' : ''}${s.table} ${s.from.toISOString().slice(5, 16)}-${s.to.toISOString().slice(5, 16)}`,
      );
    const opts = { allowHour: true, allowDay: true };
    // 13 of 24 hours at each end: the day minus the other 11.
    expect(fmt(splitTimeRange(d('2026-01-01T10:17:30Z'), d('2026-01-04T13:05:00Z'), opts))).toEqual([
      'raw 01-01T10:17-01-01T10:18',
      'minute 01-01T10:18-01-01T11:00',
      '-hour 01-01T00:00-01-01T11:00',
      'day 01-01T00:00-01-05T00:00',
      '-hour 01-04T13:00-01-05T00:00',
      'minute 01-04T13:00-01-04T13:05',
    ]);
    // "Now − 24 h": yesterday's last hour, today but its last hour (still to come).
    expect(fmt(splitTimeRange(d('2026-10-30T23:42:47Z'), d('2026-10-31T23:42:47Z'), opts))).toEqual([
      'raw 10-30T23:42-10-30T23:43',
      'minute 10-30T23:43-10-31T00:00',
      'day 10-31T00:00-11-01T00:00',
      '-hour 10-31T23:00-11-01T00:00',
      'minute 10-31T23:00-10-31T23:42',
      'raw 10-31T23:42-10-31T23:42',
    ]);
    // Inside one day: the day minus the hours before and after, when they are fewer.
    expect(fmt(splitTimeRange(d('2026-01-01T03:00:00Z'), d('2026-01-01T21:00:00Z'), opts))).toEqual([
      '-hour 01-01T00:00-01-01T03:00',
      'day 01-01T00:00-01-02T00:00',
      '-hour 01-01T21:00-01-02T00:00',
    ]);
    // Only hours when day rollups may not serve (hour buckets).
    expect(
      fmt(splitTimeRange(d('2026-01-01T03:00:00Z'), d('2026-01-01T21:00:00Z'), { allowHour: true })),
    ).toEqual(['hour 01-01T03:00-01-01T21:00']);
  });
  it('keeps to hours when a range holds no whole UTC day and most of each day lies outside', () => {
    expect(
      show(
        splitTimeRange(d('2026-01-01T16:00:00Z'), d('2026-01-02T09:00:00Z'), {
          allowHour: true,
          allowDay: true,
        }),
      ),
    ).toEqual(['hour 16:00:00.000-00:00:00.000', 'hour 00:00:00.000-09:00:00.000']);
  });
  it('reads whole UTC months from month rollups, days around them from day rollups', () => {
    const fmt = (segs: ReturnType<typeof splitTimeRange>) =>
      segs.map(
        (s) =>
          `${s.negate ? '-' : ''}${s.table} ${s.from.toISOString().slice(0, 10)}-${s.to.toISOString().slice(0, 10)}`,
      );
    const opts = { allowHour: true, allowDay: true, allowMonth: true };
    // August is mostly inside: its month rows minus its first two days.
    expect(fmt(splitTimeRange(d('2026-08-03T00:00:00Z'), d('2026-11-01T00:00:00Z'), opts))).toEqual([
      'month 2026-08-01-2026-09-01',
      '-day 2026-08-01-2026-08-03',
      'month 2026-09-01-2026-11-01',
    ]);
    // Mostly outside: day rows. February of a leap year and a year boundary.
    expect(fmt(splitTimeRange(d('2027-12-31T00:00:00Z'), d('2028-03-02T00:00:00Z'), opts))).toEqual([
      'day 2027-12-31-2028-01-01',
      'month 2028-01-01-2028-03-01',
      'day 2028-03-01-2028-03-02',
    ]);
    // Inside one month, at both ends; and a month missing one day at each end.
    expect(fmt(splitTimeRange(d('2026-10-02T00:00:00Z'), d('2026-11-01T00:00:00Z'), opts))).toEqual([
      'month 2026-10-01-2026-11-01',
      '-day 2026-10-01-2026-10-02',
    ]);
    expect(fmt(splitTimeRange(d('2026-10-02T00:00:00Z'), d('2026-10-31T00:00:00Z'), opts))).toEqual([
      'month 2026-10-01-2026-11-01',
      '-day 2026-10-01-2026-10-02',
      '-day 2026-10-31-2026-11-01',
    ]);
    expect(fmt(splitTimeRange(d('2026-10-10T00:00:00Z'), d('2026-10-20T00:00:00Z'), opts))).toEqual([
      'day 2026-10-10-2026-10-20',
    ]);
    // A 30-day range ending today: November minus today and the days to come.
    expect(fmt(splitTimeRange(d('2026-10-29T00:00:00Z'), d('2026-11-28T00:00:00Z'), opts))).toEqual([
      'day 2026-10-29-2026-11-01',
      'month 2026-11-01-2026-12-01',
      '-day 2026-11-28-2026-12-01',
    ]);
  });
  it('covers the range exactly once, without gaps or overlaps (subtracted days included)', () => {
    /** Net number of times each elementary interval is counted (subtracted segments count −1). */
    const coverage = (segs: ReturnType<typeof splitTimeRange>) => {
      const edges = [...new Set(segs.flatMap((s) => [s.from.getTime(), s.to.getTime()]))].sort(
        (a, b) => a - b,
      );
      return edges.slice(0, -1).map((a, i) => ({
        from: a,
        to: edges[i + 1],
        n: segs.reduce(
          (n, s) => n + (s.from.getTime() <= a && a < s.to.getTime() ? (s.negate ? -1 : 1) : 0),
          0,
        ),
      }));
    };
    const expectExact = (from: Date, to: Date, opts: Parameters<typeof splitTimeRange>[2]) => {
      const segs = splitTimeRange(from, to, opts);
      for (const c of coverage(segs)) {
        const inside = c.from >= from.getTime() && c.to <= to.getTime();
        expect(c.n, `${new Date(c.from).toISOString()}–${new Date(c.to).toISOString()}`).toBe(inside ? 1 : 0);
      }
      const min = Math.min(...segs.map((s) => s.from.getTime()));
      const max = Math.max(...segs.map((s) => s.to.getTime()));
      expect(min).toBeLessThanOrEqual(from.getTime());
      expect(max).toBeGreaterThanOrEqual(to.getTime());
      return segs;
    };
    const from = d('2026-03-01T00:00:01.234Z');
    const segs = expectExact(from, d('2026-03-04T23:59:59.999Z'), { allowHour: true, allowDay: true });
    expect(segs.map((s) => s.table)).toContain('day');
    const long = expectExact(from, d('2026-07-15T10:10:10.010Z'), { allowHour: true, allowMonth: true });
    expect(long.map((s) => s.table)).toContain('month');
    // Every day-aligned and odd range over two years, with month grain: exact every time.
    const opts = { allowHour: true, allowDay: true, allowMonth: true };
    let negated = 0;
    for (
      let start = Date.UTC(2027, 10, 3, 7, 13, 5, 17);
      start < Date.UTC(2028, 2, 1);
      start += 86_400_000 * 3.37
    ) {
      for (const days of [0.4, 1, 2, 7, 15.5, 27, 29, 30, 31, 45, 60, 90, 120, 400]) {
        for (const aligned of [true, false]) {
          const f = aligned ? Math.floor(start / 86_400_000) * 86_400_000 : start;
          for (const o of [opts, { allowHour: true, allowDay: true }]) {
            const s = expectExact(new Date(f), new Date(f + days * 86_400_000), o);
            negated += s.filter((x) => x.negate).length;
          }
        }
      }
    }
    expect(negated).toBeGreaterThan(0);
  });
});
