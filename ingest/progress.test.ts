import type { Logger } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { logger as appLogger } from '../lib/logger.ts';
import { CAUGHT_UP_BYTES, caughtUp, createProgressReporter } from './progress.ts';

const progress = (bytesDone: number, bytesTotal: number) => ({
  records: 0,
  rejects: 0,
  bytesRead: 0,
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

describe('createProgressReporter (log lines)', () => {
  afterEach(() => vi.useRealTimers());

  it('logs every 10 s while something changes, every 10 min while nothing does', () => {
    vi.useFakeTimers({ now: 0 });
    const lines: unknown[] = [];
    const logger = { info: (fields: unknown) => lines.push(fields) } as unknown as Logger;
    const reporter = createProgressReporter(logger, false);
    const at = (seconds: number, records: number) => {
      vi.setSystemTime(seconds * 1000);
      reporter.update({ ...progress(records, records), records });
    };
    at(10, 5);
    at(15, 6); // within 10 s of the last line
    at(20, 7);
    expect(lines).toHaveLength(2);
    // Idle: the same state for 20 minutes gives one more line, at 10 minutes.
    for (let s = 30; s <= 20 * 60; s += 10) at(s, 7);
    expect(lines).toHaveLength(3);
    at(20 * 60 + 10, 8); // traffic again: at once
    expect(lines).toHaveLength(4);
  });
});

describe('the progress bar on a terminal', () => {
  afterEach(() => vi.restoreAllMocks());

  it('clears itself before a log line, so the line does not start at the end of the bar', () => {
    const writes: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    });
    const reporter = createProgressReporter(appLogger, true);
    reporter.update({ ...progress(50, 100), records: 5 });
    expect(writes.at(-1)).toMatch(/^\r█+░+ 50\.0% \| 5 records/);
    appLogger.info('a line logged while the bar is drawn (progress.test.ts)');
    expect(writes.at(-1)).toBe('\r\u001b[K');
    // Cleared once: the next line finds nothing to clear; the next update draws the bar again.
    const cleared = writes.length;
    appLogger.info('a second line (progress.test.ts)');
    expect(writes.length).toBe(cleared);
    reporter.update({ ...progress(60, 100), records: 6 });
    expect(writes.at(-1)).toMatch(/^\r█+░+ 60\.0% \| 6 records/);
    reporter.finish({ ...progress(100, 100), records: 10 });
    appLogger.info('after the bar finished (progress.test.ts)');
    expect(writes.at(-1)).toMatch(/100\.0% \| 10 records.*\n$/);
  });
});
