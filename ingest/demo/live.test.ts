import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateFiles, startLiveGenerator } from './generator.ts';
import { parseAcctTime, readAcctFiles } from './read-acct-files.ts';
import { DEFAULT_COLUMNS, MAIN_COLUMNS } from './rows.ts';

const root = mkdtempSync(join(tmpdir(), 'acct-live-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

describe('startLiveGenerator', () => {
  it('appends complete, time-stamped lines to today files while running', async () => {
    const out = join(root, 'live');
    const started = Date.now();
    const live = startLiveGenerator({ out, ratePerSecond: 400, seed: 5 });
    const mainFile = join(out, `acct-${today()}-0000.csv`);
    const sizes: number[] = [];
    for (let i = 0; i < 12; i++) {
      await sleep(150);
      if (!existsSync(mainFile)) continue;
      const text = readFileSync(mainFile, 'utf8');
      sizes.push(text.length);
      // A tailer must never see half a line: every flush ends on a newline.
      if (text.length > 0) expect(text.endsWith('\n')).toBe(true);
    }
    await live.stop();
    expect(sizes.length).toBeGreaterThan(3);
    expect(sizes.at(-1)).toBeGreaterThan(sizes[0]);

    const files = readAcctFiles(out);
    const main = files.find((f) => f.name.startsWith(`acct-${today()}`));
    expect(main?.header).toEqual([...MAIN_COLUMNS]);
    expect(new Set(main?.widths)).toEqual(new Set([MAIN_COLUMNS.length]));
    const rows = files.flatMap((f) => f.rows);
    expect(rows.length).toBeGreaterThan(300);
    let previous = 0;
    for (const row of main?.rows ?? []) {
      const t = parseAcctTime(row.timeLogged);
      expect(t).toBeGreaterThanOrEqual(previous);
      expect(t).toBeGreaterThanOrEqual(started - 1000);
      expect(t).toBeLessThanOrEqual(Date.now());
      previous = t;
    }
    expect(new Set(rows.map((r) => r.type))).toContain('r');
    expect(new Set(rows.map((r) => r.type))).toContain('d');
  });

  it('continues a backfilled file without repeating its header, and stops on abort', async () => {
    const out = join(root, 'follow');
    await generateFiles({ out, records: 500, days: 0.01, layout: 'simple', seed: 1 });
    const mainFile = join(out, `acct-${today()}-0000.csv`);
    // Just after UTC midnight the backfill may not have reached today's file yet.
    const before = existsSync(mainFile) ? readFileSync(mainFile, 'utf8') : '';
    const controller = new AbortController();
    const live = startLiveGenerator({ out, ratePerSecond: 300, layout: 'simple', signal: controller.signal });
    await sleep(900);
    controller.abort();
    await live.stop();
    const after = readFileSync(mainFile, 'utf8');
    expect(after.startsWith(before)).toBe(true);
    expect(after.length).toBeGreaterThan(before.length);
    expect(after.split('\n').filter((line) => line.startsWith('type,'))).toHaveLength(1);
    expect(readdirSync(out).filter((n) => n.startsWith('acct-tq'))).toHaveLength(0);
    const file = readAcctFiles(out).find((f) => f.name === `acct-${today()}-0000.csv`);
    if (!file) throw new Error('no file for today');
    expect(file.header).toEqual([...DEFAULT_COLUMNS]);
    expect(file.rows.every((r) => ['d', 'b', 't'].includes(r.type))).toBe(true);
    const size = after.length;
    await sleep(600);
    expect(readFileSync(mainFile, 'utf8').length).toBe(size);
  });
});
