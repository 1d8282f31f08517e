import { describe, expect, it } from 'vitest';
import {
  atBucketPace,
  bucketInRange,
  bucketStarts,
  bucketsFit,
  bucketWindow,
  chooseBucket,
  MAX_BUCKETS,
  truncateToBucket,
  zoneAllowsHourRollups,
  zoneDaysAreUtc,
  zoneOffsetMinutes,
} from './buckets.ts';

const d = (s: string) => new Date(s);
const iso = (ds: Date[]) => ds.map((x) => x.toISOString());

describe('buckets', () => {
  it('chooses minute, hour or day from the span', () => {
    expect(chooseBucket(d('2026-01-01T00:00Z'), d('2026-01-01T01:00Z'))).toBe('minute');
    expect(chooseBucket(d('2026-01-01T00:00Z'), d('2026-01-02T00:00Z'))).toBe('hour');
    expect(chooseBucket(d('2026-01-01T00:00Z'), d('2026-01-31T00:00Z'))).toBe('day');
  });
  it('knows zone offsets, including half-hour zones', () => {
    expect(zoneOffsetMinutes(d('2026-07-01T12:00Z'), 'Europe/Paris')).toBe(120);
    expect(zoneOffsetMinutes(d('2026-01-01T12:00Z'), 'Europe/Paris')).toBe(60);
    expect(zoneOffsetMinutes(d('2026-01-01T12:00Z'), 'Asia/Kolkata')).toBe(330);
    expect(zoneAllowsHourRollups(d('2026-01-01T00:00Z'), d('2026-01-02T00:00Z'), 'Asia/Kolkata')).toBe(false);
    expect(zoneAllowsHourRollups(d('2026-01-01T00:00Z'), d('2026-01-02T00:00Z'), 'America/New_York')).toBe(
      true,
    );
    // Lord Howe Island: +11 in its summer, +10:30 in its winter (April to October).
    expect(zoneAllowsHourRollups(d('2026-01-10T00:00Z'), d('2026-02-10T00:00Z'), 'Australia/Lord_Howe')).toBe(
      true,
    );
    expect(zoneAllowsHourRollups(d('2026-01-10T00:00Z'), d('2026-12-10T00:00Z'), 'Australia/Lord_Howe')).toBe(
      false,
    );
  });
  it('truncates to local days and hours', () => {
    expect(truncateToBucket(d('2026-01-15T03:00Z'), 'day', 'America/New_York').toISOString()).toBe(
      '2026-01-14T05:00:00.000Z',
    );
    expect(truncateToBucket(d('2026-01-15T03:45Z'), 'hour', 'Asia/Kolkata').toISOString()).toBe(
      '2026-01-15T03:30:00.000Z',
    );
    expect(truncateToBucket(d('2026-01-15T03:45:59.999Z'), 'minute', 'UTC').toISOString()).toBe(
      '2026-01-15T03:45:00.000Z',
    );
  });
  it('lists day buckets across a DST change (23- and 25-hour days)', () => {
    expect(iso(bucketStarts(d('2026-03-28T00:00Z'), d('2026-03-31T00:00Z'), 'day', 'Europe/Paris'))).toEqual([
      '2026-03-27T23:00:00.000Z',
      '2026-03-28T23:00:00.000Z',
      '2026-03-29T22:00:00.000Z',
      '2026-03-30T22:00:00.000Z',
    ]);
  });
  it('lists every hour bucket of a range', () => {
    expect(iso(bucketStarts(d('2026-01-01T10:30Z'), d('2026-01-01T13:00Z'), 'hour', 'UTC'))).toEqual([
      '2026-01-01T10:00:00.000Z',
      '2026-01-01T11:00:00.000Z',
      '2026-01-01T12:00:00.000Z',
    ]);
  });
  it('knows when the days of a zone are UTC days over a whole range (day rollups serve them)', () => {
    expect(zoneDaysAreUtc(d('2026-01-01T00:00Z'), d('2026-03-01T00:00Z'), 'UTC')).toBe(true);
    // London is on UTC in winter, not from the last Sunday of March.
    expect(zoneDaysAreUtc(d('2026-01-01T00:00Z'), d('2026-03-01T00:00Z'), 'Europe/London')).toBe(true);
    expect(zoneDaysAreUtc(d('2026-03-01T00:00Z'), d('2026-04-15T00:00Z'), 'Europe/London')).toBe(false);
    expect(zoneDaysAreUtc(d('2026-01-01T00:00Z'), d('2026-01-02T00:00Z'), 'America/New_York')).toBe(false);
  });
});

describe('bucketsFit', () => {
  it('counts as the series does: a range off the bucket edges touches one bucket more', () => {
    const from = new Date('2026-12-01T00:00:00Z');
    const minutes = (n: number, offsetMs = 0) =>
      bucketsFit(
        new Date(from.getTime() + offsetMs),
        new Date(from.getTime() + offsetMs + n * 60_000),
        'minute',
        'UTC',
      );
    expect(minutes(MAX_BUCKETS)).toBe(true);
    expect(minutes(MAX_BUCKETS + 1)).toBe(false);
    expect(minutes(MAX_BUCKETS, 30_000)).toBe(false);
    // Hours in a half-hour zone start on the half hour in UTC: 5,000 of them from a local hour.
    const kolkata = new Date('2026-12-01T00:30:00Z');
    expect(
      bucketsFit(kolkata, new Date(kolkata.getTime() + MAX_BUCKETS * 3_600_000), 'hour', 'Asia/Kolkata'),
    ).toBe(true);
    expect(bucketsFit(kolkata, new Date(kolkata.getTime() + MAX_BUCKETS * 3_600_000), 'hour', 'UTC')).toBe(
      false,
    );
  });
});

describe('bucketInRange', () => {
  const w = (start: string, bucket: 'minute' | 'hour' | 'day', tz: string, from: string, to: string) => {
    const r = bucketInRange(d(start), bucket, tz, d(from), d(to));
    return [r.start.toISOString(), r.end.toISOString(), r.partial];
  };
  it('is the bucket itself inside the range, its part in the range at either edge', () => {
    expect(
      w('2026-12-05T14:06:00Z', 'minute', 'UTC', '2026-12-05T14:05:17Z', '2026-12-05T15:37:42Z'),
    ).toEqual(['2026-12-05T14:06:00.000Z', '2026-12-05T14:07:00.000Z', false]);
    expect(
      w('2026-12-05T14:05:00Z', 'minute', 'UTC', '2026-12-05T14:05:17Z', '2026-12-05T15:37:42Z'),
    ).toEqual(['2026-12-05T14:05:17.000Z', '2026-12-05T14:06:00.000Z', true]);
    expect(w('2026-12-05T17:00:00Z', 'hour', 'UTC', '2026-12-05T14:05:00Z', '2026-12-05T17:37:00Z')).toEqual([
      '2026-12-05T17:00:00.000Z',
      '2026-12-05T17:37:00.000Z',
      true,
    ]);
    // A range inside one bucket is cut at both ends.
    expect(w('2026-12-05T14:00:00Z', 'hour', 'UTC', '2026-12-05T14:05:00Z', '2026-12-05T14:10:00Z')).toEqual([
      '2026-12-05T14:05:00.000Z',
      '2026-12-05T14:10:00.000Z',
      true,
    ]);
  });
  it("ends a day at the zone's next midnight, 23 or 25 hours later on DST days", () => {
    // New York's day of 8 March 2026 has 23 hours; the range starts at 22:13 local the day before.
    expect(
      w('2026-03-08T05:00:00Z', 'day', 'America/New_York', '2026-03-07T03:13:00Z', '2026-03-10T00:00:00Z'),
    ).toEqual(['2026-03-08T05:00:00.000Z', '2026-03-09T04:00:00.000Z', false]);
    expect(
      w('2026-11-01T04:00:00Z', 'day', 'America/New_York', '2026-11-01T04:00:00Z', '2026-11-03T00:00:00Z'),
    ).toEqual(['2026-11-01T04:00:00.000Z', '2026-11-02T05:00:00.000Z', false]);
    expect(
      w('2026-12-03T05:00:00Z', 'day', 'America/New_York', '2026-12-03T22:13:00Z', '2026-12-05T07:00:00Z'),
    ).toEqual(['2026-12-03T22:13:00.000Z', '2026-12-04T05:00:00.000Z', true]);
  });
});

describe('bucketWindow', () => {
  const w = (start: string, bucket: 'hour' | 'day', tz: string) => {
    const r = bucketWindow(d(start), bucket, tz);
    return [r.start.toISOString(), r.end.toISOString()];
  };
  it('holds what PostgreSQL counts in a bucket where the zone shifts (QA: a bar opened another window)', () => {
    // Lord Howe, 2026-10-04 02:00 +10:30 → 02:30 +11: the hour starting 14:30Z runs to 15:30Z, and
    // the one starting 15:00Z holds 15:30–16:00Z only.
    expect(w('2026-10-03T14:30:00Z', 'hour', 'Australia/Lord_Howe')).toEqual([
      '2026-10-03T14:30:00.000Z',
      '2026-10-03T15:30:00.000Z',
    ]);
    expect(w('2026-10-03T15:00:00Z', 'hour', 'Australia/Lord_Howe')).toEqual([
      '2026-10-03T15:30:00.000Z',
      '2026-10-03T16:00:00.000Z',
    ]);
    // Havana's midnight of 1 November 2026 happens twice: the day starts at the second (05:00Z) and
    // holds the hour before it; the day before ends at the first.
    expect(w('2026-11-01T05:00:00Z', 'day', 'America/Havana')).toEqual([
      '2026-11-01T04:00:00.000Z',
      '2026-11-02T05:00:00.000Z',
    ]);
    expect(w('2026-10-31T04:00:00Z', 'day', 'America/Havana')).toEqual([
      '2026-10-31T04:00:00.000Z',
      '2026-11-01T04:00:00.000Z',
    ]);
    // Elsewhere a bucket is its start to the next one's.
    expect(w('2026-11-01T05:00:00Z', 'hour', 'America/New_York')).toEqual([
      '2026-11-01T05:00:00.000Z',
      '2026-11-01T06:00:00.000Z',
    ]);
  });
  it('draws a bucket the range cuts at the pace of a whole one, and whole buckets as counted', () => {
    // 24 hours ending 16:07: the first hour holds 53 minutes, the last 7.
    const from = d('2026-12-06T16:07Z');
    const to = d('2026-12-07T16:07Z');
    const starts = bucketStarts(from, to, 'hour', 'UTC');
    const points = starts.map((s) => ({ t: s.toISOString() }));
    const values = starts.map((_, i) => (i === 0 ? 53 : i === starts.length - 1 ? 7 : 60));
    expect(atBucketPace(points, values, 'hour', 'UTC', from, to)).toEqual(starts.map(() => 60));
    // A range on whole buckets: nothing scaled; zeros stay zeros.
    const whole = bucketStarts(d('2026-12-06T16:00Z'), d('2026-12-06T19:00Z'), 'hour', 'UTC');
    const wholePoints = whole.map((s) => ({ t: s.toISOString() }));
    expect(
      atBucketPace(wholePoints, [5, 0, 3], 'hour', 'UTC', d('2026-12-06T16:00Z'), d('2026-12-06T19:00Z')),
    ).toEqual([5, 0, 3]);
    // Kolkata's days start at 18:30Z: the range's first day holds its last 6 hours (a quarter).
    const kFrom = d('2026-12-05T12:30Z');
    const kTo = d('2026-12-07T18:30Z');
    const days = bucketStarts(kFrom, kTo, 'day', 'Asia/Kolkata');
    expect(iso(days)).toEqual([
      '2026-12-04T18:30:00.000Z',
      '2026-12-05T18:30:00.000Z',
      '2026-12-06T18:30:00.000Z',
    ]);
    expect(
      atBucketPace(
        days.map((s) => ({ t: s.toISOString() })),
        [2, 8, 8],
        'day',
        'Asia/Kolkata',
        kFrom,
        kTo,
      ),
    ).toEqual([8, 8, 8]);
  });
  it("paces a table's trends without reading the zone again for each row", () => {
    // 90 days of day buckets in Europe/Berlin, across the clock change of 25 October (a 25-hour day,
    // whose window is found minute by minute), cut at both ends. /domains draws one trend per row:
    // 302 rows read the zone for every bucket of every row, the clock change's minute by minute,
    // and the screen took 21.6 s (QA). The second row on reads none.
    const tz = 'Europe/Berlin';
    const from = d('2026-09-08T22:07Z');
    const to = d('2026-12-07T22:07Z');
    const starts = bucketStarts(from, to, 'day', tz);
    const points = starts.map((s) => ({ t: s.toISOString() }));
    const values = starts.map(() => 24);
    // Counted rather than spied on (a spy keeps every call's arguments).
    const formatToParts = Intl.DateTimeFormat.prototype.formatToParts;
    let lookups = 0;
    Intl.DateTimeFormat.prototype.formatToParts = function (this: Intl.DateTimeFormat, date) {
      lookups++;
      return formatToParts.call(this, date);
    };
    try {
      const first = atBucketPace(points, values, 'day', tz, from, to);
      // The cut first and last days at a whole day's pace (00:07 CEST to midnight, 23 h 53 min, and
      // midnight CET to 23:07); the rest, the 25-hour day too, as counted.
      expect(first[0]).toBeCloseTo((24 * 1440) / 1433, 9);
      expect(first.at(-1)).toBeCloseTo((24 * 1440) / 1387, 9);
      expect(first.slice(1, -1)).toEqual(values.slice(1, -1));
      const once = lookups;
      for (let row = 1; row < 20; row++) {
        expect(atBucketPace(points, values, 'day', tz, from, to)).toEqual(first);
      }
      expect(lookups).toBe(once);
    } finally {
      Intl.DateTimeFormat.prototype.formatToParts = formatToParts;
    }
  });
});
