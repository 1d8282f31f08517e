import { describe, expect, it } from 'vitest';
import { diagTemplate, templateKey } from '../lib/acct/diag-template.ts';
import { LATENCY_BOUNDS_MS } from '../lib/acct/latency.ts';
import { COPY_BINARY_HEADER, COPY_BINARY_TRAILER, decodeCopyBinary } from './copy-binary.ts';
import { prepareChunk } from './prepare.ts';
import { RECORD_COLUMN_TYPES, RECORD_COLUMNS } from './record-row.ts';

const HEADER = 'type,timeLogged,timeQueued,rcpt,dsnStatus,dsnDiag,vmta,queue,vmtaPool\n';
const GMAIL = 'smtp;421 4.7.28 [203.0.113.1] Our system has detected an unusual rate 15si123.45 - gsmtp';
const GMAIL2 = 'smtp;421 4.7.28 [203.0.113.9] Our system has detected an unusual rate 99zz987.65 - gsmtp';
const CSV = [
  'd,2026-01-10 10:00:05+0000,2026-01-10 10:00:01+0000,a@gmail.com,2.0.0 (success),smtp;250 ok,vmta1,gmail.com/vmta1,pool-a',
  'd,2026-01-10 10:00:05+0000,2026-01-10 10:00:09+0000,b@gmail.com,2.0.0 (success),smtp;250 ok,vmta1,gmail.com/vmta1,pool-a',
  'd,2026-01-10 10:00:06+0000,,c@gmail.com,2.0.0 (success),smtp;250 ok,vmta1,gmail.com/vmta1,pool-a',
  `t,2026-01-10 10:01:00+0000,2026-01-10 10:00:01+0000,d@gmail.com,4.7.28 (unusual rate),${GMAIL},vmta1,gmail.com/vmta1,pool-a`,
  `t,2026-01-10 09:59:00+0000,2026-01-10 09:58:01+0000,e@gmail.com,4.7.28 (unusual rate),${GMAIL2},vmta1,gmail.com/vmta1,pool-a`,
  'b,2026-01-10 10:02:00+0000,2026-01-10 10:00:01+0000,f@yahoo.com,,,vmta2,yahoo.com/vmta2,pool-b',
  'tq,2026-01-10 10:03:00+0000,,,4.4.1 (no answer from host),,vmta29,bücher.de/vmta29,',
  'r,2026-01-10 10:03:00+0000,,g@gmail.com,,,vmta1,,',
].join('\n');

describe('prepareChunk insights', () => {
  const chunk = prepareChunk(Buffer.from(`${HEADER}${CSV}\n`), {
    fileId: 3,
    source: 'mta1',
    offset: 0,
    header: null,
  });
  const { insights } = chunk;
  const entries = () => {
    const out: string[] = [];
    for (let i = 0; i < insights.minute.n.length; i++) {
      const d = insights.dims[insights.minute.dim[i]];
      out.push(
        `${new Date(insights.minute.bucket[i]).toISOString().slice(11, 16)} ${d.replaceAll('\u0001', '|')} ×${insights.minute.n[i]}`,
      );
    }
    return out.sort();
  };
  const key = templateKey(diagTemplate(GMAIL));

  it('counts one reason per t/tq/b/rb record, one latency per d with timeQueued, one DSN code per t/b/rb', () => {
    expect(diagTemplate(GMAIL2)).toBe(diagTemplate(GMAIL));
    const sec = (s: number) => String(LATENCY_BOUNDS_MS.indexOf(s * 1000));
    expect(entries()).toEqual(
      [
        `09:59 reason|t|Google|gmail.com|vmta1|pool-a||${key} ×1`,
        `09:59 dsn|t|Google|gmail.com|vmta1|pool-a||4.7.28 ×1`,
        `10:00 latency|d|Google|gmail.com|vmta1|pool-a||${sec(4)} ×1`,
        `10:00 latency|d|Google|gmail.com|vmta1|pool-a||${sec(0)} ×1`,
        `10:01 reason|t|Google|gmail.com|vmta1|pool-a||${key} ×1`,
        `10:01 dsn|t|Google|gmail.com|vmta1|pool-a||4.7.28 ×1`,
        '10:02 reason|b|Yahoo|yahoo.com|vmta2|pool-b|| ×1',
        '10:02 dsn|b|Yahoo|yahoo.com|vmta2|pool-b|| ×1',
        '10:03 reason|tq|Other|bücher.de|vmta29||bücher.de/vmta29| ×1',
      ].sort(),
    );
    const hours = Array.from(insights.hour.n).reduce((a, b) => a + b, 0);
    expect(hours).toBe(9);
  });

  it('lists each template once, with its earliest line as the sample', () => {
    expect(insights.templates).toEqual({
      key: [key],
      template: [diagTemplate(GMAIL)],
      sample: [GMAIL2],
      firstSeen: [Date.parse('2026-01-10T09:59:00Z')],
    });
  });

  it('writes the template key into the diag_key column', () => {
    const rows = decodeCopyBinary(
      Buffer.concat([COPY_BINARY_HEADER, ...chunk.recordChunks, COPY_BINARY_TRAILER]),
      RECORD_COLUMN_TYPES,
    );
    const at = RECORD_COLUMNS.indexOf('diag_key');
    expect(at).toBe(RECORD_COLUMNS.length - 1);
    expect(rows.map((r) => r[at])).toEqual([null, null, null, key, key, '', '', null]);
  });
});
