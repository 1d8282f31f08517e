import { appendFileSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../db.ts';
import { followWorker, ingestOnce, waitFor } from '../helpers.ts';

// A record longer than the worker's limit (64 MiB; injected smaller here so the files stay small,
// and the real one once, in long-line-kill.test.ts) is a reject: its first line, up to its line
// break, after which reading resumes. It used to stop its file there for good, silently.

const LIMIT = 256 * 1024;
const HEADER = 'type,timeLogged,rcpt,vmta,note\n';
let seq = 0;
/** `n` delivery records, each with a recipient of its own (u<seq>@gmail.com). */
function records(n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) {
    seq++;
    const t = `2026-06-01 10:${String(seq % 60).padStart(2, '0')}:00+0000`;
    out += `d,${t},u${seq}@gmail.com,vmta1,n${seq}\n`;
  }
  return out;
}
/** A delivery record of exactly `bytes` bytes, its line break included (padded in `note`). */
function recordOfLength(bytes: number, rcpt: string): string {
  const head = `d,2026-06-01 11:00:00+0000,${rcpt},vmta1,`;
  return `${head}${'p'.repeat(bytes - head.length - 1)}\n`;
}

let db: TestDatabase;
let dir: string;
beforeEach(async () => {
  db = await createTestDatabase();
  process.env.DATABASE_URL = db.url;
  dir = mkdtempSync(path.join(os.tmpdir(), 'acct-long-line-'));
});
afterEach(async () => {
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});
afterAll(() => {
  delete process.env.DATABASE_URL;
});

async function counted() {
  const [{ n, distinct }] = await db.query<{ n: string; distinct: string }>(
    'SELECT count(*) AS n, count(DISTINCT rcpt) AS distinct FROM acct_record',
  );
  return { n: Number(n), distinct: Number(distinct) };
}
const rejects = () =>
  db.query<{ byte_offset: string; text: string; reason: string }>(
    'SELECT byte_offset, text, reason FROM acct_reject ORDER BY byte_offset',
  );
const fileRow = async () =>
  (
    await db.query<{ offset: string; records: string; rejects: string }>(
      'SELECT "offset", records, rejects FROM acct_file',
    )
  )[0];

describe('a record over the limit in a finished file', () => {
  it('is a reject of its first line, and everything after it counts', async () => {
    const file = path.join(dir, 'acct-2026-06-01-1000.csv');
    let text = HEADER + records(5);
    const longAt = Buffer.byteLength(text);
    const long = `d,2026-06-01 10:00:00+0000,long@gmail.com,vmta1,${'x'.repeat(3 * LIMIT)}`;
    text += `${long}\n${records(5)}`;
    // A record of exactly the limit is read; one byte more is a reject.
    text += recordOfLength(LIMIT, 'exact@gmail.com');
    const overAt = Buffer.byteLength(text);
    text += recordOfLength(LIMIT + 1, 'over@gmail.com');
    text += records(5);
    // A quoted value holding a line break, in a record that has not ended LIMIT after its start:
    // the quote is taken as never closed. Its first line is one reject, the rest of the record
    // (a line over the limit itself) another.
    const quotedAt = Buffer.byteLength(text);
    const quotedFirst = 't,2026-06-01 10:00:00+0000,q@gmail.com,vmta1,"smtp;421 first line';
    const quotedRest = `second line",${'z'.repeat(LIMIT)}`;
    text += `${quotedFirst}\n${quotedRest}\n${records(5)}`;
    // Last, a line over the limit without a line break: the file ends there.
    const tailAt = Buffer.byteLength(text);
    const tailHead = 'd,2026-06-01 10:00:00+0000,tail1@gmail.com,vmta1,';
    text += `${tailHead}${'é'.repeat(LIMIT)}`;
    writeFileSync(file, text);
    const aMinuteAgo = new Date(Date.now() - 60_000);
    utimesSync(file, aMinuteAgo, aMinuteAgo);

    const options = { maxRecordBytes: LIMIT, chunkBytes: 64 * 1024 };
    const progress = await ingestOnce(db.url, [dir], options);
    expect(await counted()).toEqual({ n: 21, distinct: 21 });
    const got = await rejects();
    expect(got.map((r) => Number(r.byte_offset))).toEqual([
      longAt,
      overAt,
      quotedAt,
      quotedAt + quotedFirst.length + 1,
      tailAt,
    ]);
    expect(got[0].text).toBe(long.slice(0, 1024));
    expect(got[0].reason).toBe(
      `line longer than 256 KiB (the limit of one record): ${long.length + 1} bytes up to its line ` +
        'break, not read; reading resumes after it; the text is its first 1024 bytes',
    );
    expect(got[1].reason).toMatch(/^line longer than 256 KiB .*: 262145 bytes up to its line break/);
    expect(got[2].text).toBe(quotedFirst);
    expect(got[2].reason).toBe(
      'record longer than 256 KiB (the limit of one record): a quoted value holds a line break and the ' +
        'record has not ended 256 KiB after its start, so the quote is taken as never closed; its first ' +
        `line (${quotedFirst.length + 1} bytes) is rejected and reading resumes on the next line`,
    );
    expect(got[3].text).toBe(quotedRest.slice(0, 1024));
    // Cut before the character the 1024 bytes would split (é is 2 bytes, the head 49).
    expect(tailHead.length).toBe(49);
    expect(got[4].text).toBe(`${tailHead}${'é'.repeat(487)}`);
    expect(got[4].reason).toContain(
      `: ${49 + 2 * LIMIT} bytes to the end of the file, without a line break, not read`,
    );
    expect(progress).toMatchObject({ records: 21, rejects: 5 });
    expect(await fileRow()).toEqual({ offset: String(statSync(file).size), records: '21', rejects: '5' });

    // Read again: nothing new.
    await ingestOnce(db.url, [dir], options);
    expect(await counted()).toEqual({ n: 21, distinct: 21 });
    expect(await rejects()).toHaveLength(5);
  });

  it('a record with a quoted line break and a long unquoted rest is read whole up to the limit', async () => {
    // It stalled its file past 2 MiB (the buffer held a line break, taken for a quote left open).
    const file = path.join(dir, 'acct-2026-06-01-1100.csv');
    const diag = `smtp;550 first\nsecond`;
    const big = `t,2026-06-01 10:00:00+0000,big@gmail.com,vmta1,"${diag}",${'w'.repeat(3 << 20)}\n`;
    writeFileSync(file, HEADER + records(2) + big + records(2));
    const aMinuteAgo = new Date(Date.now() - 60_000);
    utimesSync(file, aMinuteAgo, aMinuteAgo);
    await ingestOnce(db.url, [dir]);
    expect(await counted()).toEqual({ n: 5, distinct: 5 });
    expect(await rejects()).toEqual([]);
    const [row] = await db.query<{ note: string; n: number }>(
      `SELECT extra->>'note' AS note, length(extra->>'_col5') AS n FROM acct_record WHERE rcpt = 'big@gmail.com'`,
    );
    expect(row).toEqual({ note: diag, n: 3 << 20 });
  });
});

describe('a record over the limit still being written', () => {
  it('waits for its line break, then is one reject, and the records after it count', async () => {
    const file = path.join(dir, 'acct-2026-06-01-1200.csv');
    writeFileSync(file, HEADER + records(3));
    const w = followWorker(db.url, [dir], { maxRecordBytes: LIMIT, chunkBytes: 64 * 1024 });
    try {
      await waitFor(counted, (c) => c.n === 3);
      // Longer than a chunk, within the limit: read whole once its line break is there.
      appendFileSync(file, 'd,2026-06-01 10:00:00+0000,within@gmail.com,vmta1,');
      for (let i = 0; i < 4; i++) {
        appendFileSync(file, 'w'.repeat(48 * 1024));
        await new Promise((r) => setTimeout(r, 60));
      }
      await new Promise((r) => setTimeout(r, 300));
      expect(await counted()).toEqual({ n: 3, distinct: 3 });
      appendFileSync(file, '\n');
      await waitFor(counted, (c) => c.n === 4);
      const longAt = statSync(file).size;
      // Appended 48 KiB at a time to 4 × LIMIT, the worker looking in between.
      const growHead = 'd,2026-06-01 10:00:00+0000,grow@gmail.com,vmta1,';
      appendFileSync(file, growHead);
      for (let i = 0; i < 22; i++) {
        appendFileSync(file, 'g'.repeat(48 * 1024));
        await new Promise((r) => setTimeout(r, 60));
      }
      await new Promise((r) => setTimeout(r, 500));
      expect(await rejects()).toEqual([]);
      expect((await fileRow()).offset).toBe(String(longAt));
      appendFileSync(file, `\n${records(4)}`);
      await waitFor(counted, (c) => c.n === 8);
      const got = await rejects();
      expect(got).toHaveLength(1);
      expect(Number(got[0].byte_offset)).toBe(longAt);
      expect(got[0].reason).toContain(`: ${growHead.length + 22 * 48 * 1024 + 1} bytes up to its line break`);
      await waitFor(fileRow, (f) => f.offset === String(statSync(file).size));
    } finally {
      await w.stop();
    }
    // A later worker starts past it: nothing counted or rejected twice.
    await ingestOnce(db.url, [dir], { maxRecordBytes: LIMIT });
    expect(await counted()).toEqual({ n: 8, distinct: 8 });
    expect(await rejects()).toHaveLength(1);
    expect(await fileRow()).toMatchObject({ records: '8', rejects: '1' });
  });
});
