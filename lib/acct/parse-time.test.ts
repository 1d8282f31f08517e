import { describe, expect, it } from 'vitest';
import { parseAcctTime } from './parse-time.ts';

const iso = (s: string) => parseAcctTime(s)?.toISOString() ?? null;

describe('parseAcctTime', () => {
  it('reads the v5 default `YYYY-MM-DD HH:MM:SS±hhmm` as UTC', () => {
    expect(iso('2019-02-08 21:54:05+0000')).toBe('2019-02-08T21:54:05.000Z');
    expect(iso('2019-02-08 21:54:05+0130')).toBe('2019-02-08T20:24:05.000Z');
    expect(iso('2019-02-08 01:54:05-0500')).toBe('2019-02-08T06:54:05.000Z');
  });

  it('accepts ±hh:mm, a T separator, Z and fractional seconds', () => {
    expect(iso('2019-02-08 21:54:05+05:30')).toBe('2019-02-08T16:24:05.000Z');
    expect(iso('2019-02-08T21:54:05-02:00')).toBe('2019-02-08T23:54:05.000Z');
    expect(iso('2019-02-08T21:54:05Z')).toBe('2019-02-08T21:54:05.000Z');
    expect(iso('2019-02-08T21:54:05.25Z')).toBe('2019-02-08T21:54:05.250Z');
    expect(iso('2019-02-08 21:54:05 +0100')).toBe('2019-02-08T20:54:05.000Z');
    expect(iso('2019-02-08 21:54:05+01')).toBe('2019-02-08T20:54:05.000Z');
  });

  it('crosses day, month and year boundaries through the offset', () => {
    expect(iso('2024-01-01 00:30:00+0100')).toBe('2023-12-31T23:30:00.000Z');
    expect(iso('2024-02-29 23:00:00-0200')).toBe('2024-03-01T01:00:00.000Z');
  });

  it('reads Unix epoch seconds, with or without a fraction (`iso-times no`)', () => {
    expect(iso('1178807903')).toBe('2007-05-10T14:38:23.000Z');
    expect(iso('1178807903.5')).toBe('2007-05-10T14:38:23.500Z');
    expect(iso('0')).toBe('1970-01-01T00:00:00.000Z');
  });

  it('returns a fresh Date for each call, so callers may keep or mutate it', () => {
    const a = parseAcctTime('2019-02-08 21:54:05+0000');
    const b = parseAcctTime('2019-02-08 21:54:05+0000');
    expect(b).not.toBe(a);
    expect(b?.getTime()).toBe(a?.getTime());
  });

  it.each([
    '',
    '   ',
    'yesterday',
    '2019-02-08 21:54:05', // no offset: the zone would be a guess
    '2019-13-08 21:54:05+0000',
    '2019-00-08 21:54:05+0000',
    '2019-02-29 21:54:05+0000', // not a leap year
    '2019-04-31 10:00:00+0000',
    '2019-02-08 24:00:00+0000',
    '2019-02-08 21:60:05+0000',
    '2019-02-08 21:54:61+0000',
    '2019-02-08 21:54:05+2400',
    '2019-02-08 21:54:05+1',
    '2019-02-08 21:54:05+01:3',
    '2019-02-08 21:54:05+0000x',
    '2019-02-08X21:54:05+0000',
    '2019/02/08 21:54:05+0000',
    '2019-02-08 21:54:05.Z',
    '12a45',
    '1178807903.',
    '-1178807903',
    '99999999999999',
    '9999-12-31 23:59:59-0100', // year 10000 in UTC: no partition can be named for it
    '0000-06-01 12:00:00+0000', // there is no year 0
    '0001-01-01 00:30:00+0100', // 0000-12-31 in UTC
  ])('rejects %j', (s) => {
    expect(parseAcctTime(s)).toBeNull();
  });

  it('accepts the first and last instants of years 1 to 9999', () => {
    expect(iso('0001-01-01 00:00:00+0000')).toBe('0001-01-01T00:00:00.000Z');
    expect(iso('9999-12-31 23:59:59+0000')).toBe('9999-12-31T23:59:59.000Z');
    expect(iso('9999-12-31 23:59:59.999Z')).toBe('9999-12-31T23:59:59.999Z');
    expect(iso('10000-01-01 00:00:00+0000')).toBeNull();
  });

  it('accepts a leap day in a leap year and trims surrounding spaces', () => {
    expect(iso('2024-02-29 12:00:00+0000')).toBe('2024-02-29T12:00:00.000Z');
    expect(iso(' 2019-02-08 21:54:05+0000 ')).toBe('2019-02-08T21:54:05.000Z');
  });

  it('agrees with Date for many instants and offsets', () => {
    for (let i = 0; i < 500; i++) {
      const ms = Date.UTC(1990, 0, 1) + i * 7_919_993_000;
      const offset = ((i % 27) - 13) * 60 + (i % 2) * 30; // minutes, -13:00 … +13:30
      const local = new Date(ms + offset * 60_000);
      const p = (n: number) => String(Math.abs(n)).padStart(2, '0');
      const text =
        `${local.getUTCFullYear()}-${p(local.getUTCMonth() + 1)}-${p(local.getUTCDate())} ` +
        `${p(local.getUTCHours())}:${p(local.getUTCMinutes())}:${p(local.getUTCSeconds())}` +
        `${offset < 0 ? '-' : '+'}${p(Math.trunc(offset / 60))}${p(offset % 60)}`;
      expect(parseAcctTime(text)?.getTime()).toBe(ms);
    }
  });
});
