import { describe, expect, it } from 'vitest';
import { parseLines } from './parse-lines.ts';
import { splitRecords } from './split-records.ts';
import {
  EPOCH_HEADER,
  HEADER_23,
  SAMPLE_B,
  SAMPLE_D,
  SAMPLE_EPOCH_B,
  SAMPLE_EPOCH_D,
  SAMPLE_T,
  SAMPLE_TQ,
  TQ_HEADER,
} from './test-samples.ts';
import type { ParsedLine } from './types.ts';

function parseFile(content: string, header: string[] | null = null) {
  const { lines } = splitRecords(Buffer.from(content), 0);
  return parseLines(lines, header);
}

/** A compact view of the outcome of each line, for assertions. */
function outcomes(parsed: ParsedLine[]): string[] {
  return parsed.map((p) => {
    if (p.kind === 'header') return `header:${p.columns.length}`;
    if (p.kind === 'reject') return `reject:${p.reason}`;
    return `${p.record.type}:${p.record.rcptDomain}:${p.record.provider}`;
  });
}

describe('parseLines', () => {
  it('parses the sample d/b/t file and returns the header in effect', () => {
    const { parsed, header } = parseFile(
      `\uFEFF${HEADER_23}\r\n${SAMPLE_D}\r\n${SAMPLE_B}\r\n${SAMPLE_T}\r\n`,
    );
    expect(outcomes(parsed)).toEqual([
      'header:23',
      'd:1181.com:Other',
      'b:yahoo.com:Yahoo',
      't:yahoo.fr:Yahoo',
    ]);
    expect(header).toEqual(HEADER_23.split(','));
    const d = parsed[1];
    expect(d.kind === 'record' && d.record.dlvEsmtpAvailable).toBe('ENHANCEDSTATUSCODES,8BITMIME,SMTPUTF8');
    expect(d.line.offset).toBe(3 + HEADER_23.length + 2);
  });

  it('parses the tq sample in its own file and the epoch-time mixed file', () => {
    expect(outcomes(parseFile(`${TQ_HEADER}\n${SAMPLE_TQ}\n`).parsed)).toEqual([
      'header:10',
      'tq:bücher.de:Other',
    ]);
    const epoch = parseFile(`${EPOCH_HEADER}\n${SAMPLE_EPOCH_D}\n${SAMPLE_EPOCH_B}\n`).parsed;
    expect(outcomes(epoch)).toEqual(['header:6', 'd:domain.com:Other', 'b:domain.com:Other']);
    const b = epoch[2];
    expect(b.kind === 'record' && b.record.timeLogged.toISOString()).toBe('2007-05-10T14:38:35.000Z');
  });

  it('continues with the header from the checkpoint when a batch has none', () => {
    const { parsed, header } = parseFile(`${SAMPLE_B}\n`, HEADER_23.split(','));
    expect(outcomes(parsed)).toEqual(['b:yahoo.com:Yahoo']);
    expect(header).toEqual(HEADER_23.split(','));
  });

  it('rejects data before any header row', () => {
    const { parsed, header } = parseFile(`${SAMPLE_D}\n${HEADER_23}\n${SAMPLE_D}\n`);
    expect(outcomes(parsed)).toEqual([
      'reject:no header row before this record',
      'header:23',
      'd:1181.com:Other',
    ]);
    expect(header).toHaveLength(23);
  });

  it('switches the column map at a repeated header row (pipe restart) and never ingests it', () => {
    const content = [
      'type,timeLogged,rcpt,vmta',
      'd,2019-02-08 21:54:05+0000,a@gmail.com,vmta1',
      'type,timeLogged,vmta,rcpt,header_X-Job',
      'd,2019-02-08 21:54:06+0000,vmta2,b@hotmail.com,job-7',
    ].join('\n');
    const { parsed, header } = parseFile(`${content}\n`);
    expect(outcomes(parsed)).toEqual([
      'header:4',
      'd:gmail.com:Google',
      'header:5',
      'd:hotmail.com:Microsoft',
    ]);
    const second = parsed[3];
    expect(second.kind === 'record' && [second.record.vmta, second.record.extra]).toEqual([
      'vmta2',
      { 'header_X-Job': 'job-7' },
    ]);
    expect(header).toEqual(['type', 'timeLogged', 'vmta', 'rcpt', 'header_X-Job']);
  });

  it('reads a union header where each type fills only its own columns', () => {
    const header = 'type,timeLogged,rcpt,queue,feedbackType,format,reportingMta';
    const content = [
      header,
      'd,1178807903,u@gmx.de,gmx.de/vmta1,,,',
      'tq,1178807904,,yahoo.rollup/vmta2,,,',
      'f,1178807905,,,abuse,arf,dns; feedback.yahoo.com',
    ].join('\n');
    expect(outcomes(parseFile(`${content}\n`).parsed)).toEqual([
      'header:7',
      'd:gmx.de:United Internet',
      'tq:yahoo.rollup:Yahoo',
      'f::Yahoo',
    ]);
  });

  it('keeps quoted commas, doubled quotes and line breaks inside quotes, with exact offsets', () => {
    const diag = 'smtp;550 5.7.1 "blocked", see\r\nhttps://example.com/why';
    const bounce = `b,2019-02-08 21:53:41+0000,2019-02-08 21:53:41+0000,o@x.com,r@web.de,,failed,5.7.1 (x),"${diag.replaceAll('"', '""')}"`;
    const content = `${HEADER_23}\n${bounce}\n${SAMPLE_D}\n`;
    const { parsed } = parseFile(content);
    expect(outcomes(parsed)).toEqual(['header:23', 'b:web.de:United Internet', 'd:1181.com:Other']);
    const b = parsed[1];
    expect(b.kind === 'record' && b.record.dsnDiag).toBe(diag);
    expect(b.line.offset).toBe(HEADER_23.length + 1);
    expect(b.line.end).toBe(HEADER_23.length + 1 + bounce.length + 1);
    expect(parsed[2].line.offset).toBe(b.line.end);
  });

  it('gives exact byte offsets with multibyte UTF-8 content', () => {
    const content = `${HEADER_23}\nd,2019-02-08 21:54:05+0000,,o@x.com,jürgen@bücher.de,,,,"smtp;250 ok ✓"\n${SAMPLE_D}\n`;
    const buf = Buffer.from(content);
    const { parsed } = parseLines(splitRecords(buf, 0).lines, null);
    expect(outcomes(parsed)).toEqual(['header:23', 'd:bücher.de:Other', 'd:1181.com:Other']);
    expect(buf.subarray(parsed[2].line.offset, parsed[2].line.end).toString()).toBe(`${SAMPLE_D}\n`);
  });

  it('rejects an unknown type and a bad time while the next lines still parse', () => {
    const content = [
      HEADER_23,
      'zz,2019-02-08 21:54:05+0000',
      'd,2019-02-08 25:54:05+0000',
      SAMPLE_B,
      'd,not-a-time,,o@x.com,r@me.com',
      SAMPLE_T,
    ].join('\n');
    expect(outcomes(parseFile(`${content}\n`).parsed)).toEqual([
      'header:23',
      "reject:unknown record type 'zz'",
      "reject:invalid timeLogged '2019-02-08 25:54:05+0000'",
      'b:yahoo.com:Yahoo',
      "reject:invalid timeLogged 'not-a-time'",
      't:yahoo.fr:Yahoo',
    ]);
  });

  it('rejects a line with an unbalanced quote and still parses the others of the batch', () => {
    const bad = 'b,2019-02-08 21:53:41+0000,,o@x.com,r@x.com,,failed,5.0.0,"smtp;550 never closed';
    const content = `${HEADER_23}\n${bad}\n${SAMPLE_D}\n${SAMPLE_B}\n`;
    const { lines } = splitRecords(Buffer.from(content), 0, { maxRecordBytes: 100 });
    expect(lines.map((l) => l.text)).toEqual([HEADER_23, bad, SAMPLE_D, SAMPLE_B]);
    expect(outcomes(parseLines(lines, null).parsed)).toEqual([
      'header:23',
      'reject:unterminated quoted field (unbalanced quote)',
      'd:1181.com:Other',
      'b:yahoo.com:Yahoo',
    ]);
  });

  it('rejects a record that CSV reads as several rows (a stray quote inside an unquoted field)', () => {
    const odd = 'd,1178807903,x"y\nz",r@x.com';
    const { lines } = splitRecords(Buffer.from(`${EPOCH_HEADER}\n${odd}\n${SAMPLE_EPOCH_D}\n`), 0);
    expect(lines).toHaveLength(3);
    expect(outcomes(parseLines(lines, null).parsed)).toEqual([
      'header:6',
      'reject:malformed quoting: record reads as 2 rows',
      'd:domain.com:Other',
    ]);
  });

  it('maps case-variant and duplicate column names', () => {
    const content = [
      'type,TIMELOGGED,Rcpt,envid,reportingMTA,rcpt,header_Message-Id',
      'f,1178807903,u@outlook.com,env-1,dns; x.example,other@gmail.com,<id@x>',
    ].join('\n');
    const [, f] = parseFile(`${content}\n`).parsed;
    expect(f.kind === 'record' && f.record).toMatchObject({
      rcpt: 'other@gmail.com', // exact name `rcpt` wins over the case-variant `Rcpt`
      provider: 'Google',
      envId: 'env-1',
      reportingMta: 'dns; x.example',
      extra: { Rcpt: 'u@outlook.com', 'header_Message-Id': '<id@x>' },
    });
  });

  it('keeps line order, header switches and rejects right across a large batch', () => {
    const rows: string[] = [HEADER_23];
    for (let i = 1; i < 1500; i++) {
      if (i === 600) rows.push('d,2019-02-08 21:54:05+0000,,o@x.com,"unterminated');
      else if (i === 1000) rows.push(EPOCH_HEADER);
      else if (i > 1000) rows.push(`d,${1178807903 + i},o@x.com,u${i}@gmail.com,10.0.0.1,`);
      else rows.push(SAMPLE_B.replace('A@yahoo.com', `u${i}@yahoo.com`));
    }
    const { lines } = splitRecords(Buffer.from(`${rows.join('\n')}\n`), 0, { maxRecordBytes: 1000 });
    expect(lines).toHaveLength(1500);
    const { parsed, header } = parseLines(lines, null);
    expect(parsed).toHaveLength(1500);
    expect(parsed.map((p) => p.line)).toEqual(lines);
    expect(outcomes([parsed[599], parsed[600], parsed[601]])).toEqual([
      'b:yahoo.com:Yahoo',
      'reject:unterminated quoted field (unbalanced quote)',
      'b:yahoo.com:Yahoo',
    ]);
    const p599 = parsed[599];
    expect(p599.kind === 'record' && p599.record.rcpt).toBe('u599@yahoo.com');
    expect(parsed[1000].kind).toBe('header');
    const last = parsed[1499];
    expect(last.kind === 'record' && [last.record.rcpt, last.record.timeLogged.getTime()]).toEqual([
      'u1499@gmail.com',
      (1178807903 + 1499) * 1000,
    ]);
    expect(parsed.filter((p) => p.kind === 'record')).toHaveLength(1497);
    expect(header).toEqual(EPOCH_HEADER.split(','));
  });

  it('keeps a column whose name holds a NUL byte, named with ␀ (PostgreSQL holds no NUL)', () => {
    const { parsed, header } = parseFile(
      'type,timeLogged,rcpt,a\0b,c\nd,2026-01-01 00:00:00+0000,x@gmail.com,v1,v2\n' +
        'type,timeLogged,rcpt,a,b,c\nd,2026-01-01 00:00:01+0000,y@gmail.com,w1,w2,w3\n',
    );
    expect(parsed[0]).toMatchObject({ kind: 'header', columns: ['type', 'timeLogged', 'rcpt', 'a␀b', 'c'] });
    expect(parsed[1].kind === 'record' && parsed[1].record.extra).toEqual({ 'a␀b': 'v1', c: 'v2' });
    // Column maps are cached by the header's names joined with NUL: 'a\0b,c' and 'a,b,c' shared one.
    expect(parsed[3].kind === 'record' && parsed[3].record.extra).toEqual({ a: 'w1', b: 'w2', c: 'w3' });
    expect(header).toEqual(['type', 'timeLogged', 'rcpt', 'a', 'b', 'c']);
  });

  it('returns an empty result for an empty batch', () => {
    expect(parseLines([], null)).toEqual({ parsed: [], header: null });
  });
});
