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
});
