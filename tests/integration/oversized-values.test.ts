import { randomBytes } from 'node:crypto';
import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

const MAX_KEY_BYTES = 255;
const MAX_RCPT_BYTES = 1024;

import { createTestDatabase, type TestDatabase } from '../db.ts';
import { ingestOnce } from '../helpers.ts';

// Damaged lines whose values PostgreSQL cannot index or store: each must be one reject, and the
// rest of the file must still count. Before, a 3,000-byte recipient domain or job id made the
// dictionary insert fail its unique index (not a data error): the worker retried that batch for
// ever and nothing after it in the file was read; a NUL in a reject's reason made PostgreSQL
// refuse the rejects, and the worker ended on a RangeError.

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});
beforeEach(async () => {
  await db.query('TRUNCATE acct_record, acct_reject, acct_file, rollup_minute CASCADE');
});

const HEADER = 'type,timeLogged,rcpt,vmta,jobId,queue,dsnDiag';
const row = (
  type: string,
  second: number,
  rcpt: string,
  more: { vmta?: string; job?: string; queue?: string } = {},
) =>
  `${type},2026-05-01 10:00:${String(second).padStart(2, '0')}+0000,${rcpt},${more.vmta ?? 'vmtaA'},${more.job ?? 'job1'},${more.queue ?? ''},`;

function writeAcct(lines: string[]): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'acct-oversized-'));
  const file = path.join(dir, 'acct-2026-05-01-0000.csv');
  writeFileSync(file, `${lines.join('\n')}\n`);
  // Untouched for a minute: a one-shot run reads the file to its end.
  const aMinuteAgo = new Date(Date.now() - 60_000);
  utimesSync(file, aMinuteAgo, aMinuteAgo);
  return dir;
}

async function stored() {
  const records = await db.query<{ rcpt: string }>('SELECT rcpt FROM acct_record ORDER BY time_logged');
  const rejects = await db.query<{ text: string; reason: string }>(
    'SELECT text, reason FROM acct_reject ORDER BY byte_offset',
  );
  const [{ n }] = await db.query<{ n: string }>('SELECT coalesce(sum(n), 0) AS n FROM rollup_minute');
  return { rcpts: records.map((r) => r.rcpt), rejects, rolledUp: Number(n) };
}

describe('values too long to index, and NUL in a reject', () => {
  it('rejects each damaged line alone and counts every other record once', async () => {
    // Longer than any domain name (253 characters), short enough for an address.
    const longDomain = `a@${'d'.repeat(296)}.com`;
    const longLocal = `${'l'.repeat(3000)}@gmail.com`;
    const lines = [
      HEADER,
      row('d', 0, 'ok0@gmail.com'),
      row('d', 1, longDomain),
      row('d', 2, 'ok2@gmail.com'),
      // A bounce's recipient is in the suppression indexes.
      row('b', 3, longLocal),
      row('d', 4, 'ok4@gmail.com', { job: 'j'.repeat(3000) }),
      row('d', 5, 'ok5@gmail.com', { vmta: 'v'.repeat(MAX_KEY_BYTES + 1) }),
      // The tuple is known (ok7 below has the same one), so only the queue is new and too long.
      row('tq', 6, 'ok6@gmail.com', { queue: 'q'.repeat(3000) }),
      row('tq', 7, 'ok7@gmail.com', { queue: 'gmail.com/vmtaA' }),
      // An unknown record type holding NUL: its reason quotes it.
      `x\0,2026-05-01 10:00:08+0000,nul@gmail.com,vmtaA,job1,,`,
      // At the limits exactly: counted.
      row('d', 9, `${'m'.repeat(MAX_RCPT_BYTES - '@gmail.com'.length)}@gmail.com`, {
        vmta: 'v'.repeat(MAX_KEY_BYTES),
      }),
      row('d', 10, 'ok10@gmail.com'),
    ];
    const dir = writeAcct(lines);
    const progress = await ingestOnce(db.url, [dir], { chunkBytes: 4096, batchBytes: 8192 });

    const { rcpts, rejects, rolledUp } = await stored();
    expect(rcpts).toEqual([
      'ok0@gmail.com',
      'ok2@gmail.com',
      'ok7@gmail.com',
      `${'m'.repeat(MAX_RCPT_BYTES - '@gmail.com'.length)}@gmail.com`,
      'ok10@gmail.com',
    ]);
    expect(rolledUp).toBe(5);
    expect(progress.records).toBe(5);
    expect(rejects.map((r) => r.reason)).toEqual([
      `rcptDomain is 300 bytes long; at most ${MAX_KEY_BYTES} are counted`,
      `rcpt is 3010 bytes long; an address is at most ${MAX_RCPT_BYTES} bytes here`,
      `jobId is 3000 bytes long; at most ${MAX_KEY_BYTES} are counted`,
      `vmta is ${MAX_KEY_BYTES + 1} bytes long; at most ${MAX_KEY_BYTES} are counted`,
      `queue is 3000 bytes long; at most ${MAX_KEY_BYTES} are counted`,
      expect.stringContaining('x\u2400'),
    ]);
    // The stored text is the line as logged, NUL shown as ␀.
    expect(rejects.map((r) => r.text)).toEqual([
      lines[2],
      lines[4],
      lines[5],
      lines[6],
      lines[7],
      lines[9].replace('\0', '\u2400'),
    ]);

    // Running again over the same folder adds nothing.
    await ingestOnce(db.url, [dir], { chunkBytes: 4096, batchBytes: 8192 });
    const again = await stored();
    expect(again.rcpts).toHaveLength(5);
    expect(again.rejects).toHaveLength(6);
  });

  it('turns any other value PostgreSQL cannot index (54000) into a reject, found by splitting the batch', async () => {
    // An index the schema does not have stands in for a limit no check foresaw: a diagnostic of
    // ~8 KB of random text cannot be one B-tree entry, even compressed.
    await db.query('CREATE INDEX test_only_diag_idx ON acct_record (dsn_diag)');
    try {
      const huge = randomBytes(6000).toString('base64');
      const lines = [HEADER];
      for (let i = 0; i < 40; i++) lines.push(`${row('d', i, `r${i}@gmail.com`)}${i === 23 ? huge : 'ok'}`);
      const dir = writeAcct(lines);
      await ingestOnce(db.url, [dir], { chunkBytes: 1024, batchBytes: 8192 });
      const { rcpts, rejects, rolledUp } = await stored();
      expect(rcpts).toHaveLength(39);
      expect(rcpts).not.toContain('r23@gmail.com');
      expect(rolledUp).toBe(39);
      expect(rejects).toHaveLength(1);
      expect(rejects[0].text).toBe(lines[24]);
      expect(rejects[0].reason).toMatch(/^database refused the record: index row size \d+ exceeds/);
    } finally {
      await db.query('DROP INDEX test_only_diag_idx');
    }
  });
});
