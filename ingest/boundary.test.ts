import { describe, expect, it } from 'vitest';
import { splitRecords } from '../lib/acct/split-records.ts';
import { cutsUnclosedQuote, lastRecordEnd } from './boundary.ts';

const buf = (s: string) => Buffer.from(s, 'utf8');

describe('lastRecordEnd', () => {
  it('ends after the last newline outside quotes', () => {
    expect(lastRecordEnd(buf('a,b\nc,d\ne,f'))).toBe(8);
    expect(lastRecordEnd(buf('a,"x\ny"\nb,"p'))).toBe(8);
    expect(lastRecordEnd(buf('a,"x\n'))).toBe(0);
    expect(lastRecordEnd(buf('a,"say ""hi""",b\n'))).toBe(17);
    expect(lastRecordEnd(buf(''))).toBe(0);
  });
  it('agrees with splitRecords at every cut of a file with quoted line breaks', () => {
    const text =
      'type,timeLogged,dsnDiag\r\nd,2026-01-01 00:00:00+0000,"smtp;250 ok, ""fine""\nsecond line"\nb,2026-01-01 00:00:01+0000,plain\nt,2026-01-01 00:00:02+0000,"ü é"\n';
    const all = buf(text);
    for (let cut = 0; cut <= all.length; cut++) {
      const part = all.subarray(0, cut);
      expect(lastRecordEnd(part)).toBe(splitRecords(part, 0).consumed);
    }
  });
  it('ends past the complete rows that follow a row cut off inside quotes (QA: they waited for 1 MiB)', () => {
    const text = [
      'type,timeLogged,rcpt,dlvSourceIp,vmta,dlvEsmtpAvailable,dsnDiag',
      'd,2026-11-25 15:00:00+0000,a1@gmail.com,10.0.0.1,vmta1,"PIPELINING,SIZE",smtp;250 ok',
      'b,2026-11-25 15:00:01+0000,cut@gmail.com,10.0.0.1,vmta1,"PIPELINING,SIZ',
      'd,2026-11-25 15:00:02+0000,a2@gmail.com,10.0.0.1,vmta1,"PIPELINING,SIZE",smtp;250 ok',
      'd,2026-11-25 15:00:03+0000,a3@gmail.com,10.0.0.1,vmta1,"PIPELINING,SIZE",smtp;250 ok',
      't,2026-11-25 15:00:04+0000,a4@gmail.com,10.0.0.1,vmta1,"x',
      'y",smtp;421 later',
      'b,2026-11-25 15:00:05+0000,cut2@gmail.com,10.0.0.1,vmta1,"PIPE',
      '',
    ].join('\n');
    const all = buf(text);
    // Up to the last row, whose quote is still open at the end: it may still be being written.
    expect(lastRecordEnd(all)).toBe(text.indexOf('b,2026-11-25 15:00:05'));
    const { lines } = splitRecords(all, 0);
    expect(lines.map((l) => l.text.slice(0, 30))).toContain('d,2026-11-25 15:00:03+0000,a3@');
    for (let cut = 0; cut <= all.length; cut++) {
      const part = all.subarray(0, cut);
      expect({ cut, end: lastRecordEnd(part) }).toEqual({ cut, end: splitRecords(part, 0).consumed });
    }
  });
});

describe('cutsUnclosedQuote', () => {
  it('is whether splitRecords cuts a record with no end at its first line', () => {
    // Random short records of quotes, line breaks, commas and letters, with a small quote limit:
    // wherever lastRecordEnd finds no record end, splitRecords consumes bytes exactly when
    // cutsUnclosedQuote says so (otherwise the record may still be completed by more bytes).
    const alphabet = ['"', '\n', ',', 'a', 'b', '\r', '""'];
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    let open = 0;
    let cut = 0;
    for (let i = 0; i < 20_000; i++) {
      let text = '';
      const n = 1 + rand(40);
      for (let k = 0; k < n; k++) text += alphabet[rand(alphabet.length)];
      const b = buf(text);
      if (lastRecordEnd(b) !== 0) continue;
      const max = 1 + rand(30);
      const cuts = splitRecords(b, 0, { maxRecordBytes: max }).consumed > 0;
      expect({ text, max, cuts: cutsUnclosedQuote(b, max) }).toEqual({ text, max, cuts });
      if (cuts) cut++;
      else open++;
    }
    expect(cut).toBeGreaterThan(500);
    expect(open).toBeGreaterThan(500);
  });
  it('leaves a record whose quoted line break closed in time to complete later', () => {
    const b = buf(`d,"smtp;550 a\nb",${'w'.repeat(100)}`);
    expect(cutsUnclosedQuote(b, 50)).toBe(false);
    expect(cutsUnclosedQuote(buf(`d,"smtp;550 a\nb${'w'.repeat(100)}`), 50)).toBe(true);
    expect(cutsUnclosedQuote(buf(`d,"smtp;550 a\nb${'w'.repeat(100)}`), 500)).toBe(false);
  });
});
