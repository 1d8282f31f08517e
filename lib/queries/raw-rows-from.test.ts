import { afterEach, describe, expect, it } from 'vitest';
import { rawRowsFrom } from './count-query.ts';

const DAY = 86_400_000;
const now = Date.parse('2026-11-29T15:20:00Z');

describe('rawRowsFrom', () => {
  const saved = process.env.RAW_RETENTION_DAYS;
  afterEach(() => {
    if (saved === undefined) delete process.env.RAW_RETENTION_DAYS;
    else process.env.RAW_RETENTION_DAYS = saved;
  });

  it('is what the worker published when the app has no retention of its own', () => {
    delete process.env.RAW_RETENTION_DAYS;
    expect(rawRowsFrom(undefined, now)).toBe(Number.NEGATIVE_INFINITY);
    expect(rawRowsFrom(Date.parse('2026-09-01T00:00:00Z'), now)).toBe(Date.parse('2026-09-01T00:00:00Z'));
  });

  it("starts at the first day the app's RAW_RETENTION_DAYS keeps, as the worker drops them", () => {
    process.env.RAW_RETENTION_DAYS = '30';
    // now − 30 days = 2026-10-30T15:20Z: the worker keeps that whole UTC day.
    expect(rawRowsFrom(undefined, now)).toBe(Date.parse('2026-10-30T00:00:00Z'));
    expect(rawRowsFrom(undefined, now)).toBe(Math.floor((now - 30 * DAY) / DAY) * DAY);
  });

  it('takes the later of the two', () => {
    process.env.RAW_RETENTION_DAYS = '30';
    expect(rawRowsFrom(Date.parse('2026-11-20T00:00:00Z'), now)).toBe(Date.parse('2026-11-20T00:00:00Z'));
    expect(rawRowsFrom(Date.parse('2026-01-01T00:00:00Z'), now)).toBe(Date.parse('2026-10-30T00:00:00Z'));
  });

  it('ignores a retention that is not a positive whole number of days', () => {
    for (const value of ['0', '-3', '1.5', 'abc', '']) {
      process.env.RAW_RETENTION_DAYS = value;
      expect(rawRowsFrom(undefined, now)).toBe(Number.NEGATIVE_INFINITY);
    }
  });
});
