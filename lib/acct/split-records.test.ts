import { describe, expect, it } from 'vitest';
import { splitRecords } from './split-records.ts';
import { HEADER_23, SAMPLE_B, SAMPLE_D, SAMPLE_T } from './test-samples.ts';
import type { RawLine } from './types.ts';

const BOM = '\uFEFF';

/** Feeds `buf` to splitRecords in pieces cut at `cuts`, carrying the unconsumed tail like the tailer. */
function splitInPieces(buf: Buffer, cuts: number[]): RawLine[] {
  const lines: RawLine[] = [];
  let carry = Buffer.alloc(0);
  let offset = 0;
  const bounds = [...cuts, buf.length];
  let from = 0;
  for (const to of bounds) {
    const piece = Buffer.concat([carry, buf.subarray(from, to)]);
    const result = splitRecords(piece, offset);
    lines.push(...result.lines);
    carry = piece.subarray(result.consumed);
    offset += result.consumed;
    from = to;
  }
  return lines;
}

describe('splitRecords', () => {
  it('returns LF-terminated records with exact byte offsets', () => {
    const buf = Buffer.from('ab\ncde\n');
    expect(splitRecords(buf, 100, { atFileStart: false })).toEqual({
      lines: [
        { offset: 100, end: 103, text: 'ab' },
        { offset: 103, end: 107, text: 'cde' },
      ],
      consumed: 7,
    });
  });

  it('strips the CR of CRLF from the text but counts it in end', () => {
    const buf = Buffer.from(`${HEADER_23}\r\n${SAMPLE_D}\r\n`);
    const { lines, consumed } = splitRecords(buf, 0);
    expect(lines.map((l) => l.text)).toEqual([HEADER_23, SAMPLE_D]);
    expect(lines[1].offset).toBe(HEADER_23.length + 2);
    expect(lines[1].end).toBe(buf.length);
    expect(consumed).toBe(buf.length);
  });

  it('skips a UTF-8 BOM at the start of the file: the first record starts at offset 3', () => {
    const buf = Buffer.from(`${BOM}${HEADER_23}\n${SAMPLE_B}\n`);
    const { lines } = splitRecords(buf, 0);
    expect(lines[0]).toEqual({ offset: 3, end: 3 + HEADER_23.length + 1, text: HEADER_23 });
    expect(lines[1].text).toBe(SAMPLE_B);
  });

  it('keeps bytes that look like a BOM when not at the file start', () => {
    const { lines } = splitRecords(Buffer.from(`${BOM}x\n`), 10, { atFileStart: false });
    expect(lines).toEqual([{ offset: 10, end: 15, text: `${BOM}x` }]);
  });

  it('skips blank lines but counts them as consumed', () => {
    const buf = Buffer.from('\na\n\r\n\nb\n\n');
    const { lines, consumed } = splitRecords(buf, 0);
    expect(lines).toEqual([
      { offset: 1, end: 3, text: 'a' },
      { offset: 6, end: 8, text: 'b' },
    ]);
    expect(consumed).toBe(9);
  });

  it('never returns a partial last record', () => {
    const buf = Buffer.from(`${SAMPLE_D}\n${SAMPLE_B.slice(0, 40)}`);
    const { lines, consumed } = splitRecords(buf, 0);
    expect(lines.map((l) => l.text)).toEqual([SAMPLE_D]);
    expect(consumed).toBe(SAMPLE_D.length + 1);
  });

  it('returns nothing and consumes nothing without any newline (0-byte and header-only files)', () => {
    expect(splitRecords(Buffer.alloc(0), 0)).toEqual({ lines: [], consumed: 0 });
    expect(splitRecords(Buffer.from(HEADER_23), 0)).toEqual({ lines: [], consumed: 0 });
  });

  it('keeps quoted commas and doubled quotes inside one record', () => {
    const text = 'b,"a,b","say ""hi"", ok",x';
    const { lines } = splitRecords(Buffer.from(`${text}\n${SAMPLE_T}\n`), 0);
    expect(lines.map((l) => l.text)).toEqual([text, SAMPLE_T]);
  });

  it('lets a quoted line break continue the record over several physical lines', () => {
    const first = 'b,2019-02-08 21:53:41+0000,"smtp;550 line one\nline two\r\nline three",x';
    const buf = Buffer.from(`${first}\r\nd,next\n`);
    const { lines, consumed } = splitRecords(buf, 1000, { atFileStart: false });
    expect(lines).toEqual([
      { offset: 1000, end: 1000 + Buffer.byteLength(first) + 2, text: first },
      { offset: 1000 + Buffer.byteLength(first) + 2, end: 1000 + buf.length, text: 'd,next' },
    ]);
    expect(consumed).toBe(buf.length);
  });

  it('waits for the closing quote of a record cut inside a quoted line break', () => {
    const buf = Buffer.from('d,1\nb,"open\nstill open');
    const { lines, consumed } = splitRecords(buf, 0);
    expect(lines.map((l) => l.text)).toEqual(['d,1']);
    expect(consumed).toBe(4);
  });

  it('gives byte (not character) offsets for multibyte UTF-8 content', () => {
    const tq = 'tq,x,bücher.de/vmta29';
    const next = 'd,ok,"日本語,テスト"';
    const buf = Buffer.from(`${tq}\n${next}\n`);
    const { lines } = splitRecords(buf, 0);
    expect(lines).toEqual([
      { offset: 0, end: 23, text: tq }, // ü is two bytes: 21 characters, 22 bytes + LF
      { offset: 23, end: buf.length, text: next },
    ]);
    expect(buf.subarray(lines[1].offset, lines[1].end).toString()).toBe(`${next}\n`);
  });

  it('reads bytes that are not UTF-8 as Windows-1252 in their line only, with byte offsets', () => {
    const latin1 = Buffer.from('b,x,"smtp;552 Bo\xeete pleine"\n', 'latin1');
    const utf8 = Buffer.from('d,ok,bücher.de\n');
    const buf = Buffer.concat([utf8, latin1, utf8]);
    const { lines } = splitRecords(buf, 0);
    expect(lines).toEqual([
      { offset: 0, end: utf8.length, text: 'd,ok,bücher.de' },
      { offset: utf8.length, end: utf8.length + latin1.length, text: 'b,x,"smtp;552 Boîte pleine"' },
      { offset: utf8.length + latin1.length, end: buf.length, text: 'd,ok,bücher.de' },
    ]);
  });

  it('gives up on an unbalanced quote after maxRecordBytes and resyncs on the next line', () => {
    const bad = 'b,2019-02-08 21:53:41+0000,"never closed';
    const rest = Array.from({ length: 20 }, (_, i) => `d,line ${i}`);
    const buf = Buffer.from(`${bad}\n${rest.join('\n')}\n`);
    const { lines, consumed } = splitRecords(buf, 0, { maxRecordBytes: 64 });
    expect(lines.map((l) => l.text)).toEqual([bad, ...rest]);
    expect(lines[1].offset).toBe(bad.length + 1);
    expect(consumed).toBe(buf.length);
  });

  it('still waits on an open quote shorter than maxRecordBytes', () => {
    const buf = Buffer.from('b,"never closed\nd,1\nd,2\n');
    expect(splitRecords(buf, 0).lines).toEqual([]);
  });

  it('returns the same records whatever byte positions the file is read in pieces at', () => {
    const file = Buffer.from(
      `${BOM}${HEADER_23}\r\n${SAMPLE_D}\n\nb,"multi\nline ""quoted""\r\nvalue",x\r\n` +
        'tq,2019-02-08 21:53:39+0000,bücher.de/vmta29\n"日本",ü\n',
    );
    const whole = splitRecords(file, 0);
    expect(whole.consumed).toBe(file.length);
    expect(whole.lines).toHaveLength(5);
    for (let cut = 0; cut <= file.length; cut++) {
      expect(splitInPieces(file, [cut])).toEqual(whole.lines);
    }
    // Three pieces, over the small part with the multi-line record and the multibyte characters.
    const tail = file.length - 90;
    for (let a = tail; a <= file.length; a++) {
      for (let b = a; b <= file.length; b += 3) expect(splitInPieces(file, [a, b])).toEqual(whole.lines);
    }
  });

  it('splits a large buffer into every record', () => {
    const lines = Array.from({ length: 50_000 }, () => SAMPLE_D);
    const buf = Buffer.from(`${HEADER_23}\n${lines.join('\n')}\n`);
    const result = splitRecords(buf, 0);
    expect(result.lines).toHaveLength(50_001);
    expect(result.lines[50_000].text).toBe(SAMPLE_D);
    expect(result.lines[50_000].end).toBe(buf.length);
  });
});

describe('splitRecords at the end of a finished file', () => {
  it('cuts an unbalanced quote at its line and keeps the records after it', () => {
    const text = 'd,1,"ok"\nd,2,"never closed\nd,3,x\nd,4,y\n';
    const open = splitRecords(Buffer.from(text), 0);
    expect(open.lines.map((l) => l.text)).toEqual(['d,1,"ok"']);
    const final = splitRecords(Buffer.from(text), 0, { final: true });
    expect(final.lines.map((l) => l.text)).toEqual(['d,1,"ok"', 'd,2,"never closed', 'd,3,x', 'd,4,y']);
    expect(final.consumed).toBe(Buffer.byteLength(text));
  });
  it('still keeps a complete multi-line quoted record whole', () => {
    const text = 'd,1,"two\nlines"\nd,2,x\n';
    expect(splitRecords(Buffer.from(text), 0, { final: true }).lines.map((l) => l.text)).toEqual([
      'd,1,"two\nlines"',
      'd,2,x',
    ]);
  });
});

describe('splitRecords after a row cut off inside a quoted value', () => {
  // A crash leaves `d,…,"SIZE,PIPE` without its closing quote; the rows after it carry quoted
  // values of their own. Paired with the next row's opening quote, the open one used to make one
  // malformed record of everything up to the next cut-off row.
  const good = (n: number) => `d,${n},"SIZE,PIPELINING",2048`;
  const cut = (n: number) => `d,${n},"SIZE,PIPE`;
  const rows = [good(1), good(2), cut(3), good(4), good(5), good(6), cut(7), good(8), good(9)];
  const text = `${rows.join('\n')}\n`;

  it('gives each cut-off row its own line and keeps every row after it', () => {
    const { lines, consumed } = splitRecords(Buffer.from(text), 0);
    expect(lines.map((l) => l.text)).toEqual(rows);
    expect(consumed).toBe(Buffer.byteLength(text));
  });

  it('finds the same rows whatever byte positions the file is read in pieces at', () => {
    const buf = Buffer.from(text);
    for (let cut = 1; cut < buf.length; cut += 3) {
      expect(
        splitInPieces(buf, [cut]).map((l) => l.text),
        `cut at ${cut}`,
      ).toEqual(rows);
    }
  });

  it('still keeps quoted values that cross lines whole, doubled quotes included', () => {
    const multi =
      'b,1,"smtp;550 5.1.1 ""z"" unknown, see\nhttps://example.com/help",vmta1\nb,2,"a\n""b""\nc"\nd,3,x\n';
    expect(splitRecords(Buffer.from(multi), 0).lines.map((l) => l.text)).toEqual([
      'b,1,"smtp;550 5.1.1 ""z"" unknown, see\nhttps://example.com/help",vmta1',
      'b,2,"a\n""b""\nc"',
      'd,3,x',
    ]);
  });
});
