import { describe, expect, it } from 'vitest';
import { CAUGHT_UP_BYTES, caughtUp } from './progress.ts';

const progress = (bytesDone: number, bytesTotal: number) => ({
  records: 0,
  rejects: 0,
  bytesDone,
  bytesTotal,
  files: 1,
});

describe('caughtUp', () => {
  it('holds with nothing or a partial last record left to read', () => {
    expect(caughtUp(progress(0, 0))).toBe(true);
    expect(caughtUp(progress(5_000_000, 5_000_000))).toBe(true);
    expect(caughtUp(progress(5_000_000, 5_000_000 + CAUGHT_UP_BYTES))).toBe(true);
  });

  it('does not hold while a backfill has more than a chunk to read', () => {
    expect(caughtUp(progress(0, CAUGHT_UP_BYTES + 1))).toBe(false);
    expect(caughtUp(progress(1_000_000, 500_000_000))).toBe(false);
  });
});
