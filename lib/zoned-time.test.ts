import { describe, expect, it } from 'vitest';
import { toZonedLocal, zonedLocalToUtc } from './zoned-time.ts';

describe('zonedLocalToUtc', () => {
  it('reads a wall time in UTC and in zones east and west of it', () => {
    expect(zonedLocalToUtc('2026-01-10T10:00', 'UTC')?.toISOString()).toBe('2026-01-10T10:00:00.000Z');
    expect(zonedLocalToUtc('2026-01-10T10:00', 'Europe/Paris')?.toISOString()).toBe(
      '2026-01-10T09:00:00.000Z',
    );
    expect(zonedLocalToUtc('2026-07-10T10:00', 'Europe/Paris')?.toISOString()).toBe(
      '2026-07-10T08:00:00.000Z',
    );
    expect(zonedLocalToUtc('2026-01-10T10:00:30', 'America/New_York')?.toISOString()).toBe(
      '2026-01-10T15:00:30.000Z',
    );
    expect(zonedLocalToUtc('2026-01-10T10:00', 'Asia/Kolkata')?.toISOString()).toBe(
      '2026-01-10T04:30:00.000Z',
    );
  });

  it('takes the earlier instant of a repeated hour and moves a skipped one forward', () => {
    // Paris leaves summer time on 2026-10-25 at 03:00 local (01:00 UTC): 02:30 happens twice.
    expect(zonedLocalToUtc('2026-10-25T02:30', 'Europe/Paris')?.toISOString()).toBe(
      '2026-10-25T00:30:00.000Z',
    );
    // …and enters it on 2026-03-29 at 02:00 local: 02:30 does not exist.
    expect(zonedLocalToUtc('2026-03-29T02:30', 'Europe/Paris')?.toISOString()).toBe(
      '2026-03-29T01:30:00.000Z',
    );
  });

  it('rejects what is not a datetime-local value', () => {
    expect(zonedLocalToUtc('2026-01-10', 'UTC')).toBeNull();
    expect(zonedLocalToUtc('yesterday', 'UTC')).toBeNull();
  });
});

describe('toZonedLocal', () => {
  it('round-trips with zonedLocalToUtc', () => {
    for (const tz of ['UTC', 'Europe/Paris', 'America/New_York', 'Australia/Adelaide']) {
      const at = new Date('2026-05-03T17:45:00Z');
      const local = toZonedLocal(at, tz);
      expect(zonedLocalToUtc(local, tz)?.toISOString()).toBe(at.toISOString());
    }
    expect(toZonedLocal(new Date('2026-01-10T09:00:00Z'), 'Europe/Paris')).toBe('2026-01-10T10:00');
  });
});
