import { describe, expect, it } from 'vitest';
import { splitRecords } from '../lib/acct/split-records.ts';
import { lastRecordEnd } from './boundary.ts';

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
