const DAY = 86_400_000;

/**
 * The start (UTC midnight) of the first day that a raw retention of `days` days keeps at `now`:
 * the worker drops the day partitions before it, and the stats read no raw rows before it. One
 * rule for both sides (PartitionKeeper.dropOlderThan, rawRowsFrom).
 */
export function firstDayKept(days: number, now = Date.now()): number {
  return Math.floor((now - days * DAY) / DAY) * DAY;
}
