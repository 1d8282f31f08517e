import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PendingRows } from './pending-rows.ts';
import { Prng } from './prng.ts';
import { type PendingRow, RowHeap } from './row-heap.ts';

const root = mkdtempSync(join(tmpdir(), 'acct-pending-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const SECOND = 1000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function row(time: number, seq: number, line = `t,${time},line ${seq}`): PendingRow {
  return { time, seq, kind: seq % 3 === 0 ? 'tq' : 'main', type: 't', line };
}

function drain(store: { pop(): PendingRow | undefined }): PendingRow[] {
  const rows: PendingRow[] = [];
  for (let r = store.pop(); r; r = store.pop()) rows.push(r);
  return rows;
}

describe('PendingRows', () => {
  it('pops what a heap would, in the same order, while holding only the near rows in memory', () => {
    const dir = mkdtempSync(join(root, 'order-'));
    // Small buckets and a small buffer so the run goes through files many times, far ones too.
    const store = new PendingRows({
      bucketMs: SECOND,
      horizonMs: SECOND,
      farBucketMs: 30 * SECOND,
      bufferChars: 2_000,
      dir,
    });
    const heap = new RowHeap();
    const rng = new Prng(3);
    let seq = 0;
    let clock = 0;
    let maxInMemory = 0;
    let maxSize = 0;
    const popped: PendingRow[] = [];
    const expected: PendingRow[] = [];
    for (let step = 0; step < 2_000; step++) {
      clock += rng.int(200);
      store.advanceTo(clock);
      for (let i = rng.int(4); i > 0; i--) {
        // Mostly soon, some hours later; equal times must keep their insertion order.
        const delay = rng.chance(0.3) ? rng.int(3 * HOUR) : rng.chance(0.2) ? 0 : rng.int(5 * SECOND);
        const r = row(clock + delay, seq++);
        store.push(r);
        heap.push({ ...r });
      }
      while (store.peekTime() <= clock) popped.push(store.pop() as PendingRow);
      while (heap.peekTime() <= clock) expected.push(heap.pop() as PendingRow);
      maxInMemory = Math.max(maxInMemory, store.inMemory);
      maxSize = Math.max(maxSize, store.size);
    }
    expect(readdirSync(dir)).toHaveLength(1);
    popped.push(...drain(store));
    expected.push(...drain(heap));
    expect(popped).toEqual(expected);
    expect(popped).toHaveLength(seq);
    expect(store.size).toBe(0);
    expect(maxSize).toBeGreaterThan(500);
    expect(maxInMemory).toBeLessThan(maxSize / 10);
  });

  it('finds the first row across a quiet stretch and counts spilled rows in its size', () => {
    const store = new PendingRows({ bucketMs: SECOND, horizonMs: SECOND, bufferChars: 10, dir: root });
    store.advanceTo(0);
    store.push(row(5 * HOUR, 1));
    store.push(row(2 * HOUR, 2));
    store.push(row(500, 3));
    expect(store.size).toBe(3);
    expect(store.inMemory).toBe(1);
    expect(drain(store).map((r) => r.seq)).toEqual([3, 2, 1]);
    store.dispose();
  });

  it('reads back lines with commas, quotes, newlines and non-ASCII characters as they were', () => {
    const store = new PendingRows({ bucketMs: SECOND, horizonMs: SECOND, bufferChars: 10, dir: root });
    store.advanceTo(0);
    const lines = [
      'b,x,"550-5.1.1 first\n550 5.1.1 second",end',
      'd,x,jürgen@bücher.example,"""Shop"" <a@b>",',
      '',
      'f,x,😀,\r\n,last',
    ];
    lines.forEach((line, i) => {
      store.push({ time: HOUR + i + 0.25, seq: i, kind: 'fbl', type: 'f', line });
    });
    expect(store.inMemory).toBe(0);
    const rows = drain(store);
    expect(rows.map((r) => r.line)).toEqual(lines);
    expect(rows.map((r) => r.time)).toEqual([HOUR + 0.25, HOUR + 1.25, HOUR + 2.25, HOUR + 3.25]);
    expect(new Set(rows.map((r) => `${r.kind}/${r.type}`))).toEqual(new Set(['fbl/f']));
    store.dispose();
  });

  it('removes its files when disposed', () => {
    const dir = mkdtempSync(join(root, 'dispose-'));
    const store = new PendingRows({ bucketMs: SECOND, horizonMs: SECOND, bufferChars: 10, dir });
    store.advanceTo(0);
    for (let i = 0; i < 50; i++) store.push(row(HOUR + i * SECOND, i));
    store.advanceTo(HOUR - 60 * SECOND);
    store.push(row(HOUR + DAY, 50));
    expect(readdirSync(dir)).toHaveLength(1);
    // 50 near buckets of a second each (moved from their far one), and a far one.
    expect(readdirSync(join(dir, readdirSync(dir)[0]))).toHaveLength(51);
    store.dispose();
    expect(readdirSync(dir)).toEqual([]);
    expect(store.size).toBe(0);
  });

  it('spills rows days ahead into a bounded number of files, and reads them back in order', () => {
    const dir = mkdtempSync(join(root, 'far-'));
    const store = new PendingRows({ bufferChars: 100_000, dir });
    store.advanceTo(0);
    const rng = new Prng(5);
    const rows: PendingRow[] = [];
    for (let seq = 0; seq < 20_000; seq++) rows.push(row(rng.int(3 * DAY), seq));
    for (const r of rows) store.push(r);
    // One 15-second file per bucket made 17,280 over 3 days, each appended to at every spill:
    // 11,757 files here. Far rows now share 15-minute files: 288 over 3 days, and the 15-second
    // ones of the next 15-30 minutes.
    const files = readdirSync(join(dir, readdirSync(dir)[0]));
    expect(files.length).toBeLessThanOrEqual(288 + 120);
    const popped = drain(store);
    expect(popped).toEqual(rows.sort((a, b) => a.time - b.time || a.seq - b.seq));
    expect(readdirSync(join(dir, readdirSync(dir)[0]))).toEqual([]);
    store.dispose();
  });

  it('removes the spill directories of processes that are gone, when it first spills', () => {
    const dir = mkdtempSync(join(root, 'orphans-'));
    const gone = spawnSync('true').pid;
    for (const name of [`acct-pending-${gone}-abc`, 'acct-pending-1-abc', 'acct-pending-notes'])
      mkdirSync(join(dir, name));
    const store = new PendingRows({ bucketMs: SECOND, horizonMs: SECOND, bufferChars: 10, dir });
    store.advanceTo(0);
    store.push(row(HOUR, 1));
    const names = readdirSync(dir);
    // A live process's (pid 1) and names not of the form are left; its own is new.
    expect(names.filter((n) => !n.startsWith(`acct-pending-${process.pid}-`)).sort()).toEqual([
      'acct-pending-1-abc',
      'acct-pending-notes',
    ]);
    expect(names).toHaveLength(3);
    store.dispose();
  });
});
