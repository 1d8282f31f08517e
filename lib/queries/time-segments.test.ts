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
    const segs = splitTimeRange(d('2026-01-01T10:17:30Z'), d('2026-01-04T13:05:00Z'), {
      allowHour: true,
      allowDay: true,
    });
    expect(
      segs.map((s) => `${s.table} ${s.from.toISOString().slice(0, 19)}-${s.to.toISOString().slice(0, 19)}`),
    ).toEqual([
      'raw 2026-01-01T10:17:30-2026-01-01T10:18:00',
      'minute 2026-01-01T10:18:00-2026-01-01T11:00:00',
      'hour 2026-01-01T11:00:00-2026-01-02T00:00:00',
      'day 2026-01-02T00:00:00-2026-01-04T00:00:00',
      'hour 2026-01-04T00:00:00-2026-01-04T13:00:00',
      'minute 2026-01-04T13:00:00-2026-01-04T13:05:00',
    ]);
  });
  it('keeps to hours when a range holds no whole UTC day', () => {
    expect(
      show(
        splitTimeRange(d('2026-01-01T10:00:00Z'), d('2026-01-02T09:00:00Z'), {
          allowHour: true,
          allowDay: true,
        }),
      ),
    ).toEqual(['hour 10:00:00.000-09:00:00.000']);
  });
  it('reads whole UTC months from month rollups, days around them from day rollups', () => {
    const fmt = (segs: ReturnType<typeof splitTimeRange>) =>
      segs.map((s) => `${s.table} ${s.from.toISOString().slice(0, 10)}-${s.to.toISOString().slice(0, 10)}`);
    const opts = { allowHour: true, allowDay: true, allowMonth: true };
    expect(fmt(splitTimeRange(d('2026-08-03T00:00:00Z'), d('2026-11-01T00:00:00Z'), opts))).toEqual([
      'day 2026-08-03-2026-09-01',
      'month 2026-09-01-2026-11-01',
    ]);
    // February of a leap year and a year boundary; no whole month: days only.
    expect(fmt(splitTimeRange(d('2027-12-31T00:00:00Z'), d('2028-03-02T00:00:00Z'), opts))).toEqual([
      'day 2027-12-31-2028-01-01',
      'month 2028-01-01-2028-03-01',
      'day 2028-03-01-2028-03-02',
    ]);
    expect(fmt(splitTimeRange(d('2026-10-02T00:00:00Z'), d('2026-11-01T00:00:00Z'), opts))).toEqual([
      'day 2026-10-02-2026-11-01',
    ]);
  });
  it('covers the range exactly, without gaps or overlaps', () => {
    const from = d('2026-03-01T00:00:01.234Z');
    const to = d('2026-03-04T23:59:59.999Z');
    const segs = splitTimeRange(from, to, { allowHour: true, allowDay: true });
    expect(segs.map((s) => s.table)).toContain('day');
    expect(segs[0].from).toEqual(from);
    expect(segs.at(-1)?.to).toEqual(to);
    for (let i = 1; i < segs.length; i++) expect(segs[i].from).toEqual(segs[i - 1].to);
    const long = splitTimeRange(from, d('2026-07-15T10:10:10.010Z'), { allowHour: true, allowMonth: true });
    expect(long.map((s) => s.table)).toContain('month');
    expect(long[0].from).toEqual(from);
    expect(long.at(-1)?.to).toEqual(d('2026-07-15T10:10:10.010Z'));
    for (let i = 1; i < long.length; i++) expect(long[i].from).toEqual(long[i - 1].to);
  });
});
