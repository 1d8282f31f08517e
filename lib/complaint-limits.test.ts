import { describe, expect, it } from 'vitest';
import { complaintStatus, parseMinDelivered } from './complaint-limits.ts';

describe('complaintStatus', () => {
  it('judges the rate against 0.1 % and 0.3 % with enough deliveries', () => {
    expect(complaintStatus(0, 10_000, 1000)).toBe('ok');
    expect(complaintStatus(9, 10_000, 1000)).toBe('ok');
    expect(complaintStatus(10, 10_000, 1000)).toBe('warning');
    expect(complaintStatus(29, 10_000, 1000)).toBe('warning');
    expect(complaintStatus(30, 10_000, 1000)).toBe('critical');
  });
  it('does not judge small slices', () => {
    expect(complaintStatus(3, 200, 1000)).toBe('low-volume');
    expect(complaintStatus(3, 200, 100)).toBe('critical');
    expect(complaintStatus(1, 0, 1000)).toBe('no-delivery');
  });
  it('reads minDelivered from the URL', () => {
    expect(parseMinDelivered(new URLSearchParams())).toBe(1000);
    expect(parseMinDelivered(new URLSearchParams('minDelivered=5'))).toBe(5);
    expect(() => parseMinDelivered(new URLSearchParams('minDelivered=0'))).toThrow(/minDelivered/);
  });
});
