import { afterEach, describe, expect, it } from 'vitest';
import { ParamError } from '../filters.ts';
import { chooseBucket } from './buckets.ts';
import { sparklineBucket } from './get-breakdown-series.ts';
import { bucketMinutesOnly, checkMinuteReads, MinutesNotKeptError, minuteRowsFrom } from './minute-reads.ts';

const now = Date.parse('2026-11-29T15:20:00Z');
const kept = Date.parse('2026-11-01T00:00:00Z');
const at = (iso: string) => new Date(iso);

/** The ParamError checkMinuteReads throws (or undefined). */
function refusal(
  from: string,
  to: string,
  allowHour = true,
  minutesOnly?: ReturnType<typeof bucketMinutesOnly>,
) {
  try {
    checkMinuteReads({ from: at(from), to: at(to), allowHour, minuteFrom: kept, minutesOnly });
  } catch (error) {
    expect(error).toBeInstanceOf(MinutesNotKeptError);
    expect(error).toBeInstanceOf(ParamError);
    return error as ParamError;
  }
  return undefined;
}

describe('minuteRowsFrom', () => {
  const saved = process.env.MINUTE_ROLLUP_RETENTION_DAYS;
  afterEach(() => {
    if (saved === undefined) delete process.env.MINUTE_ROLLUP_RETENTION_DAYS;
    else process.env.MINUTE_ROLLUP_RETENTION_DAYS = saved;
  });

  it("is the later of what the worker published and the first day the app's own retention keeps", () => {
    delete process.env.MINUTE_ROLLUP_RETENTION_DAYS;
    expect(minuteRowsFrom(undefined, now)).toBe(Number.NEGATIVE_INFINITY);
    expect(minuteRowsFrom(kept, now)).toBe(kept);
    process.env.MINUTE_ROLLUP_RETENTION_DAYS = '10';
    // now − 10 days = 2026-11-19T15:20Z: that whole UTC day is kept.
    expect(minuteRowsFrom(undefined, now)).toBe(Date.parse('2026-11-19T00:00:00Z'));
    expect(minuteRowsFrom(kept, now)).toBe(Date.parse('2026-11-19T00:00:00Z'));
    expect(minuteRowsFrom(Date.parse('2026-11-25T00:00:00Z'), now)).toBe(Date.parse('2026-11-25T00:00:00Z'));
    for (const value of ['0', '-3', '1.5', 'abc', '']) {
      process.env.MINUTE_ROLLUP_RETENTION_DAYS = value;
      expect(minuteRowsFrom(undefined, now)).toBe(Number.NEGATIVE_INFINITY);
    }
  });
});

describe('checkMinuteReads', () => {
  it('lets through whole hours before the minute rollups are kept, and anything after', () => {
    expect(refusal('2026-10-20T03:00:00Z', '2026-10-22T17:00:00Z')).toBeUndefined();
    expect(refusal('2026-10-20T03:00:00Z', '2026-11-02T17:12:00Z')).toBeUndefined(); // minutes after
    expect(refusal('2026-11-01T00:00:00Z', '2026-11-01T00:07:00Z', false)).toBeUndefined();
    // A sub-minute edge is raw rows' business (checkEdges), not the minute rollups'.
    expect(refusal('2026-10-20T03:00:00Z', '2026-10-20T05:00:00Z')).toBeUndefined();
  });

  it('names the edge off the whole hour that needs minutes no longer kept', () => {
    const from = refusal('2026-10-20T03:07:00Z', '2026-10-22T17:00:00Z');
    expect(from?.param).toBe('from');
    expect(from?.message).toBe(
      'from=2026-10-20T03:07:00.000Z is not on a whole hour, and the minute rollups before ' +
        '2026-11-01T00:00:00.000Z are no longer kept (MINUTE_ROLLUP_RETENTION_DAYS): give a whole hour',
    );
    expect(refusal('2026-10-20T03:00:00Z', '2026-10-22T17:30:00Z')?.param).toBe('to');
    // Inside one hour: the edge off the hour.
    expect(refusal('2026-10-20T03:10:00Z', '2026-10-20T03:50:00Z')?.param).toBe('from');
    expect(refusal('2026-10-20T03:00:00Z', '2026-10-20T03:50:00Z')?.param).toBe('to');
    // The right edge before the boundary, the left one too: the left is named first.
    expect(refusal('2026-10-31T22:10:00Z', '2026-10-31T23:50:00Z')?.param).toBe('from');
    // The right edge's minutes are after it: only the left is refused.
    expect(refusal('2026-10-31T22:00:00Z', '2026-11-01T00:30:00Z')).toBeUndefined();
  });

  it('names the bucket or the zone of a series read in minutes only', () => {
    const bucket = refusal(
      '2026-10-20T03:00:00Z',
      '2026-10-20T05:00:00Z',
      false,
      bucketMinutesOnly('minute', 'UTC'),
    );
    expect(bucket?.param).toBe('bucket');
    expect(bucket?.message).toMatch(
      /^the minute rollups before 2026-11-01T00:00:00.000Z are no longer kept .*choose hour or day/,
    );
    const tz = refusal(
      '2026-10-20T03:00:00Z',
      '2026-10-20T05:00:00Z',
      false,
      bucketMinutesOnly('hour', 'Asia/Kolkata'),
    );
    expect(tz?.param).toBe('tz');
    expect(tz?.message).toMatch(/tz=Asia\/Kolkata is not a whole number of hours from UTC/);
  });
});

describe('buckets chosen before the minute rollups are kept', () => {
  it('takes hours where minutes would be', () => {
    expect(chooseBucket(at('2026-10-20T03:00:00Z'), at('2026-10-20T05:00:00Z'))).toBe('minute');
    expect(chooseBucket(at('2026-10-20T03:00:00Z'), at('2026-10-20T05:00:00Z'), kept)).toBe('hour');
    expect(chooseBucket(at('2026-11-20T03:00:00Z'), at('2026-11-20T05:00:00Z'), kept)).toBe('minute');
    expect(chooseBucket(at('2026-10-20T03:00:00Z'), at('2026-10-25T05:00:00Z'), kept)).toBe('hour');
    expect(sparklineBucket(at('2026-10-20T03:00:00Z'), at('2026-10-20T04:00:00Z'))).toBe('minute');
    expect(sparklineBucket(at('2026-10-20T03:00:00Z'), at('2026-10-20T04:00:00Z'), kept)).toBe('hour');
  });
});
