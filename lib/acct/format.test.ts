import { describe, expect, it } from 'vitest';
import { bucketLabel, formatCount, formatDuration, formatPercent } from './format.ts';

describe('format', () => {
  it('keeps counts exact', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
  });
  it('shows small rates with more digits', () => {
    expect(formatPercent(0.3)).toBe('30.00 %');
    expect(formatPercent(0.00123)).toBe('0.123 %');
    expect(formatPercent(null)).toBe('–');
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
  it('labels chart buckets in the display zone', () => {
    expect(bucketLabel('UTC')('2026-01-10T14:05:00.000Z')).toBe('10 Jan, 14:05');
    expect(bucketLabel('Europe/Paris')('2026-01-10T14:05:00.000Z')).toBe('10 Jan, 15:05');
  });
});
