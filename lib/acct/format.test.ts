import { describe, expect, it } from 'vitest';
import {
  bucketLabel,
  formatAgo,
  formatCount,
  formatCountOf,
  formatDuration,
  formatPercent,
  formatPercentileBound,
  formatPointChange,
  formatRange,
  wallTimeFormat,
} from './format.ts';

describe('format', () => {
  it('reads a latency percentile as at most its bound, or more than the last one', () => {
    expect(formatPercentileBound(30_000, false)).toBe('≤ 30 s');
    expect(formatPercentileBound(259_200_000, true)).toBe('> 3.0 d');
  });

  it('keeps counts exact', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
  });
  it('shows small rates with more digits', () => {
    expect(formatPercent(0.3)).toBe('30.00 %');
    expect(formatPercent(0.00123)).toBe('0.123 %');
    expect(formatPercent(null)).toBe('–');
  });
  it('never rounds a rate onto the other side of a limit it is judged against (QA)', () => {
    const limits = [0.001, 0.003];
    expect(formatPercent(116 / 116_151)).toBe('0.100 %');
    expect(formatPercent(116 / 116_151, limits)).toBe('0.0999 %');
    expect(formatPercent(0.0029999, limits)).toBe('0.29999 %');
    expect(formatPercent(0.001, limits)).toBe('0.100 %');
    expect(formatPercent(0.00123, limits)).toBe('0.123 %');
  });
  it('reads durations at the scale they have', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(45_000)).toBe('45 s');
    expect(formatDuration(120_000)).toBe('2 min');
    expect(formatDuration(5_400_000)).toBe('1 h 30 min');
    expect(formatDuration(7_200_000)).toBe('2 h');
    expect(formatDuration(216_000_000)).toBe('2.5 d');
    expect(formatDuration(null)).toBe('–');
  });
  it("says how long ago a file's last record was, and when it has none (QA: '– ago')", () => {
    expect(formatAgo(null)).toBe('no record yet');
    expect(formatAgo(12.4)).toBe('12 s ago');
    expect(formatAgo(600)).toBe('10 min ago');
    expect(formatAgo(36_000)).toBe('10 h ago');
    expect(formatAgo(868_695)).toBe('10 d ago');
  });
  it('labels chart buckets in the display zone', () => {
    expect(bucketLabel('UTC')('2026-01-10T14:05:00.000Z')).toBe('10 Jan, 14:05');
    expect(bucketLabel('Europe/Paris')('2026-01-10T14:05:00.000Z')).toBe('10 Jan, 15:05');
    // The hour New York shows twice when DST ends names its zone (QA: two bars read "1 Nov, 01:00").
    const ny = bucketLabel('America/New_York');
    expect([ny('2026-11-01T04:00:00Z'), ny('2026-11-01T05:00:00Z'), ny('2026-11-01T06:00:00Z')]).toEqual([
      '1 Nov, 00:00',
      '1 Nov, 01:00 GMT-4',
      '1 Nov, 01:00 GMT-5',
    ]);
    expect(ny('2026-11-01T07:00:00Z')).toBe('1 Nov, 02:00');
    // Lord Howe repeats half an hour (02:00 +11 → 01:30 +10:30).
    const lh = bucketLabel('Australia/Lord_Howe');
    expect(lh('2026-04-04T14:30:00Z')).not.toBe(lh('2026-04-04T15:00:00Z'));
  });

  it('formats a range as wall times in the display zone, with seconds only when a bound has them', () => {
    expect(formatRange('2026-12-05T10:35:00.000Z', '2026-12-06T10:35:00.000Z', 'UTC')).toBe(
      '5 Dec 2026, 10:35 → 6 Dec 2026, 10:35 (UTC)',
    );
    expect(formatRange('2026-03-28T23:00:00.000Z', '2026-03-29T23:00:00.000Z', 'Europe/Berlin')).toBe(
      '29 Mar 2026, 00:00 → 30 Mar 2026, 01:00 (Europe/Berlin)',
    );
    expect(formatRange('2026-01-10T10:05:05.000Z', '2026-01-10T10:59:59.000Z', 'UTC')).toBe(
      '10 Jan 2026, 10:05:05 → 10 Jan 2026, 10:59:59 (UTC)',
    );
  });

  it('writes wall times as ISO dates, unambiguous in any locale, in the display zone', () => {
    const at = new Date('2026-01-10T10:01:10Z');
    expect(wallTimeFormat('UTC').format(at)).toBe('2026-01-10 10:01:10');
    expect(wallTimeFormat('America/New_York', false).format(at)).toBe('2026-01-10 05:01');
  });
});

describe('formatPointChange', () => {
  it('says the change of a rate in percentage points, with the rates own digits', () => {
    expect(formatPointChange(0.3, 0.25)).toBe('▲ +5.00 pp');
    expect(formatPointChange(0.0909, 0.1)).toBe('▼ -0.91 pp');
    expect(formatPointChange(0.0005, 0.0008)).toBe('▼ -0.030 pp');
    expect(formatPointChange(0.25, 0.25)).toBe('= 0 pp');
  });
  it('never rounds a change that is not 0 to 0, nor shows one without both rates', () => {
    expect(formatPointChange(0.000504, 0.0005)).toBe('▲ +0.0004 pp');
    expect(formatPointChange(0.5, 0.4999999)).toBe('▲ +0.00001 pp');
    expect(formatPointChange(null, 0.1)).toBeNull();
    expect(formatPointChange(0.1, null)).toBeNull();
  });
});

describe('formatCountOf', () => {
  it('says one in the singular, any other count in the plural', () => {
    expect(formatCountOf(1, 'record')).toBe('1 record');
    expect(formatCountOf(0, 'record')).toBe('0 records');
    expect(formatCountOf(1042, 'record')).toBe('1,042 records');
    expect(formatCountOf(2, 'query', 'queries')).toBe('2 queries');
    expect(formatCountOf(1, 'query', 'queries')).toBe('1 query');
  });
});
