import { describe, expect, it } from 'vitest';
import { COPY_BINARY_HEADER, COPY_BINARY_TRAILER, decodeCopyBinary } from './copy-binary.ts';
import { PrepareDictionary, prepareChunk } from './prepare.ts';
import { RECORD_COLUMN_TYPES, RECORD_COLUMNS } from './record-row.ts';

// A value holding U+0001, the separator of the rollups' dictionary keys, makes its record a reject;
// the records around it still count (before, the tuple's extra field failed the whole batch).

const HEADER = 'type,timeLogged,rcpt,vmta,dlvSourceIp,jobId,queue\n';
const line = (type: string, second: number, rcpt: string, job: string, queue = '') =>
  `${type},2026-06-01 10:00:0${second}+0000,${rcpt},vmta1,203.0.113.9,${job},${queue}\n`;

function prepare(text: string, dictionary = new PrepareDictionary('t')) {
  const buf = Buffer.from(text);
  const chunk = prepareChunk(
    buf,
    { fileId: 1, source: 'mta', offset: 0, header: null, final: true },
    dictionary,
  );
  const rows = chunk.recordChunks.length
    ? decodeCopyBinary(
        Buffer.concat([COPY_BINARY_HEADER, ...chunk.recordChunks, COPY_BINARY_TRAILER]),
        RECORD_COLUMN_TYPES,
      )
    : [];
  const rcpt = RECORD_COLUMNS.indexOf('rcpt');
  return { chunk, rcpts: rows.map((r) => r[rcpt]) };
}

describe('prepareChunk', () => {
  it('rejects a record whose dimension holds U+0001 and counts the others', () => {
    const bad = line('d', 1, 'b@gmail.com', 'job\u0001x');
    const text = HEADER + line('d', 0, 'a@gmail.com', 'job') + bad + line('d', 2, 'c@gmail.com', 'job');
    const { chunk, rcpts } = prepare(text);
    expect(rcpts).toEqual(['a@gmail.com', 'c@gmail.com']);
    expect(chunk.recordCount).toBe(2);
    expect(chunk.recordOffsets).toEqual([
      HEADER.length,
      text.length - line('d', 2, 'c@gmail.com', 'job').length,
    ]);
    expect(chunk.rejects).toEqual([
      {
        offset: HEADER.length + line('d', 0, 'a@gmail.com', 'job').length,
        text: bad.trimEnd(),
        reason: 'jobId holds the control character U+0001',
      },
    ]);
    // Every tuple sent to the dictionary has its nine fields.
    for (const d of chunk.dims) expect(d.split('\u0001')).toHaveLength(9);
    expect(Array.from(chunk.minute.n).reduce((a, b) => a + b, 0)).toBe(2);
  });

  it('rejects a line holding a NUL byte instead of storing it without the NUL', () => {
    const bad = line('d', 1, 'b@gmail.com', 'jo\0b');
    const { chunk, rcpts } = prepare(
      HEADER + line('d', 0, 'a@gmail.com', 'job') + bad + line('d', 2, 'c@gmail.com', 'job'),
    );
    expect(rcpts).toEqual(['a@gmail.com', 'c@gmail.com']);
    expect(chunk.rejects).toEqual([
      {
        offset: HEADER.length + line('d', 0, 'a@gmail.com', 'job').length,
        text: bad.trimEnd(),
        reason: 'the line holds a NUL byte: a damaged line (PowerMTA never writes one)',
      },
    ]);
  });

  it('rejects a queue-deferral whose queue holds U+0001 even when its tuple is known', () => {
    const ok = line('tq', 0, 'a@gmail.com', 'job', 'gmail.com/vmta1');
    const bad = line('tq', 1, 'b@gmail.com', 'job', 'gmail.com/vmta1\u0001x');
    const { chunk, rcpts } = prepare(HEADER + ok + bad);
    expect(rcpts).toEqual(['a@gmail.com']);
    expect(chunk.rejects.map((r) => r.reason)).toEqual(['queue holds the control character U+0001']);
    for (const d of chunk.insights.dims) expect(d.split('\u0001')).toHaveLength(8);
  });
});

describe('prepareChunk, split a piece at a time', () => {
  it('reads records longer than a piece (quoted newlines included) and ends where the last complete one ends', () => {
    const head = 'type,timeLogged,rcpt,vmta,dsnDiag\n';
    const long = (n: number) => `${'x'.repeat(59)}\n`.repeat(n);
    const rows = [
      `d,2026-06-01 10:00:00+0000,a@gmail.com,vmta1,ok\n`,
      `b,2026-06-01 10:00:01+0000,b@gmail.com,vmta1,"${long(3000)}"\n`, // ~180 KB, past a 64 KB piece
      `d,2026-06-01 10:00:02+0000,ü@bücher.de,vmta1,ok\n`,
      `b,2026-06-01 10:00:03+0000,c@gmail.com,vmta1,"${long(1200)}"\n`,
    ];
    const partial = 'd,2026-06-01 10:00:04+0000,d@gmail.com,vmta1,"not closed yet';
    const text = `\ufeff${head}${rows.join('')}${partial}`;
    const buf = Buffer.from(text);
    const chunk = prepareChunk(buf, { fileId: 1, source: 'mta', offset: 0, header: null });
    expect(chunk.recordCount).toBe(4);
    expect(chunk.consumed).toBe(buf.length - Buffer.byteLength(partial));
    let at = 3 + head.length;
    const offsets = rows.map((r) => {
      const o = at;
      at += Buffer.byteLength(r);
      return o;
    });
    expect(chunk.recordOffsets).toEqual(offsets);
    const { rcpts } = prepare(text.slice(1, text.length - partial.length));
    expect(rcpts).toEqual(['a@gmail.com', 'b@gmail.com', 'ü@bücher.de', 'c@gmail.com']);
  });
});
