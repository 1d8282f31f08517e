import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { buildColumnMap } from './header.ts';
import { normaliseRow } from './normalise.ts';
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
import type { AcctRecord } from './types.ts';

const fieldsOf = (line: string) => Papa.parse<string[]>(line, { delimiter: ',', newline: '\n' }).data[0];

function recordOf(header: string, line: string): AcctRecord {
  const result = normaliseRow(fieldsOf(line), buildColumnMap(fieldsOf(header)));
  if (!('record' in result)) throw new Error(`rejected: ${result.reject}`);
  return result.record;
}

function rejectOf(header: string, line: string): string {
  const result = normaliseRow(fieldsOf(line), buildColumnMap(fieldsOf(header)));
  if (!('reject' in result)) throw new Error('expected a reject');
  return result.reject;
}

describe('normaliseRow', () => {
  it("gives a complaint or a remote report the job of the reported message's X-Job header, not other rows", () => {
    const header = 'type,timeLogged,rcpt,dlvSourceIp,header_x-JOB';
    expect(recordOf(header, 'f,2026-01-10 10:20:00+0000,a@gmail.com,203.0.113.1,job-7').jobId).toBe('job-7');
    expect(recordOf(header, 'f,2026-01-10 10:20:00+0000,a@gmail.com,203.0.113.1,').jobId).toBeNull();
    expect(recordOf(header, 'd,2026-01-10 10:20:00+0000,a@gmail.com,203.0.113.1,job-7').jobId).toBeNull();
    // Remote bounces and remote status reports carry the reported message's headers too (QA).
    expect(recordOf(header, 'rb,2026-01-10 10:20:00+0000,a@gmail.com,203.0.113.1,job-7').jobId).toBe('job-7');
    expect(recordOf(header, 'rs,2026-01-10 10:20:00+0000,a@gmail.com,203.0.113.1,job-7').jobId).toBe('job-7');
    const both = 'type,timeLogged,rcpt,jobId,header_X-Job';
    expect(recordOf(both, 'f,2026-01-10 10:20:00+0000,a@gmail.com,job-1,job-9').jobId).toBe('job-1');
  });

  it('normalises the sample d row of the 23-column header', () => {
    expect(recordOf(HEADER_23, SAMPLE_D)).toEqual({
      type: 'd',
      timeLogged: new Date('2019-02-08T21:54:05Z'),
      timeQueued: new Date('2019-02-08T21:54:05Z'),
      orig: 'AA-D=1181.com@bounce.bar.com',
      rcpt: 'D@1181.com',
      rcptDomain: '1181.com',
      provider: 'Other',
      dsnAction: 'relayed',
      dsnStatus: '2.0.0 (success)',
      dsnDiag: 'smtp;250 DATA ok',
      dsnMta: 'foo.int.port25.com (10.1.2.3)',
      bounceCat: null,
      dlvSourceIp: '10.1.2.3',
      dlvDestinationIp: '10.1.2.3',
      dlvSize: 41159,
      vmta: 'vmta48',
      vmtaPool: null,
      jobId: 'JoBID29546016861868',
      envId: null,
      queue: '1181.com/vmta48',
      feedbackType: null,
      reportingMta: null,
      orcpt: null,
      srcType: 'api',
      srcMta: 'foo.int.port25.com (127.0.0.1)',
      dlvType: 'smtp',
      dlvEsmtpAvailable: 'ENHANCEDSTATUSCODES,8BITMIME,SMTPUTF8',
      extra: {},
    });
  });

  it('normalises the sample b row: provider from the rcpt domain, open bounce category', () => {
    const b = recordOf(HEADER_23, SAMPLE_B);
    expect(b.type).toBe('b');
    expect(b.timeLogged.toISOString()).toBe('2019-02-08T21:53:41.000Z');
    expect(b.rcptDomain).toBe('yahoo.com');
    expect(b.provider).toBe('Yahoo');
    expect(b.bounceCat).toBe('spam-related');
    expect(b.dlvSize).toBeNull();
    expect(b.queue).toBe('yahoo.rollup/vmta18');
    expect(b.jobId).toBeNull();
  });

  it('reads the sample t row, whose trailing comma is its empty vmtaPool', () => {
    // The d and b samples stop after queue (22 fields: short rows); t has all 23.
    expect(fieldsOf(SAMPLE_D)).toHaveLength(22);
    expect(fieldsOf(SAMPLE_B)).toHaveLength(22);
    expect(fieldsOf(SAMPLE_T)).toHaveLength(23);
    const t = recordOf(HEADER_23, SAMPLE_T);
    expect(t.type).toBe('t');
    expect(t.rcptDomain).toBe('yahoo.fr');
    expect(t.provider).toBe('Yahoo');
    expect(t.dsnDiag).toBe('smtp;421 4.7.0 mx002 Error: too many errors');
    expect(t.dlvSourceIp).toBe('10.59.14.69');
    expect(t.vmta).toBe('vmta21');
    expect(t.vmtaPool).toBeNull();
    expect([t.srcType, t.srcMta, t.dlvType]).toEqual(['api', 'foo.int.bar.com (127.0.0.1)', 'smtp']);
    expect(t.extra).toEqual({});
  });

  it('takes the domain of a tq row from its queue, Unicode, while dsnMta keeps its punycode', () => {
    const tq = recordOf(TQ_HEADER, SAMPLE_TQ);
    expect(tq.type).toBe('tq');
    expect(tq.rcpt).toBeNull();
    expect(tq.rcptDomain).toBe('bücher.de');
    expect(tq.provider).toBe('Other');
    expect(tq.dsnMta).toBe('mx.xn--bcher-kva.de (87.98.150.101)');
    expect(tq.dsnStatus).toBe('4.4.1 (no answer from host)');
    expect(tq.dsnDiag).toBeNull();
    expect(tq.timeQueued).toBeNull();
    expect(tq.queue).toBe('bücher.de/vmta29');
    expect(tq.dlvType).toBe('smtp');
    expect(tq.extra).toEqual({});
  });

  it('reads the epoch-time mixed file', () => {
    const d = recordOf(EPOCH_HEADER, SAMPLE_EPOCH_D);
    expect(d.timeLogged.toISOString()).toBe('2007-05-10T14:38:23.000Z');
    expect(d.rcptDomain).toBe('domain.com');
    expect(d.dlvSourceIp).toBe('10.0.0.1');
    expect(d.bounceCat).toBeNull();
    const b = recordOf(EPOCH_HEADER, SAMPLE_EPOCH_B);
    expect(b.timeLogged.toISOString()).toBe('2007-05-10T14:38:35.000Z');
    expect(b.dlvSourceIp).toBeNull();
    expect(b.bounceCat).toBe('policy-related');
  });

  it('reads missing trailing fields of a short row as empty', () => {
    const r = recordOf(HEADER_23, 'b,2019-02-08 21:53:41+0000,,orig@x.com,someone@GMAIL.com');
    expect(r.rcptDomain).toBe('gmail.com');
    expect(r.provider).toBe('Google');
    expect(r.queue).toBeNull();
    expect(r.vmtaPool).toBeNull();
    expect(r.extra).toEqual({});
  });

  it('keeps the surplus values of a row longer than its header as _col<N>', () => {
    const r = recordOf('type,timeLogged,rcpt', 'd,2019-02-08 21:54:05+0000,a@b.com,,surplus,');
    expect(r.extra).toEqual({ _col4: 'surplus' });
  });

  it("keeps columns named like Object.prototype's properties in extra as own keys", () => {
    const header = 'type,timeLogged,rcpt,__proto__,constructor,toString,hasOwnProperty';
    const r = recordOf(header, 'd,2019-02-08 21:54:05+0000,a@b.com,P,C,T,H');
    expect(Object.keys(r.extra).sort()).toEqual(['__proto__', 'constructor', 'hasOwnProperty', 'toString']);
    expect(Object.getOwnPropertyDescriptor(r.extra, '__proto__')?.value).toBe('P');
    expect(Object.getPrototypeOf(r.extra)).toBe(Object.prototype);
    expect(JSON.stringify(r.extra)).toBe(
      '{"constructor":"C","toString":"T","hasOwnProperty":"H","__proto__":"P"}',
    );
    const empty = recordOf(header, 'd,2019-02-08 21:54:05+0000,a@b.com,,C');
    expect(JSON.stringify(empty.extra)).toBe('{"constructor":"C"}');
    expect(recordOf(header, 'd,2019-02-08 21:54:05+0000,a@b.com').extra).toEqual({});
  });

  it('keeps header_* and arf_* columns of an f row in extra and finds the provider of a JMRP complaint', () => {
    const header =
      'type,timeLogged,repSourceIp,feedbackType,format,userAgent,envId,orig,rcpt,reportingMTA,dlvSourceIp,reportedDomain,header_From,arf_Original-Mail-From';
    const f = recordOf(
      header,
      'f,2024-03-05 10:00:00+0100,10.1.2.3,abuse,jmrp,,env1,bounce@sender.com,,,10.1.2.3,sender.com,News <news@sender.com>,bounce@sender.com',
    );
    expect(f.type).toBe('f');
    expect(f.rcptDomain).toBe('');
    expect(f.provider).toBe('Microsoft');
    expect(f.feedbackType).toBe('abuse');
    expect(f.envId).toBe('env1');
    expect(f.extra).toEqual({
      repSourceIp: '10.1.2.3',
      format: 'jmrp',
      reportedDomain: 'sender.com',
      header_From: 'News <news@sender.com>',
      'arf_Original-Mail-From': 'bounce@sender.com',
    });
  });

  it('attributes an f row with a recipient to the recipient domain', () => {
    const f = recordOf('type,timeLogged,rcpt,reportingMta', 'f,1178807903,x@aol.com,dns; example.net');
    expect(f.provider).toBe('Yahoo');
    expect(f.reportingMta).toBe('dns; example.net');
  });

  it('matches type case-insensitively, trims the bounce category, keeps an r row vmta as given', () => {
    const r = recordOf('type,timeLogged,rcpt,vmta,bounceCat', ' R ,1178807903,a@b.de,pool-eu, custom-cat ');
    expect(r.type).toBe('r');
    expect(r.vmta).toBe('pool-eu');
    expect(r.bounceCat).toBe('custom-cat');
  });

  it('reads an invalid timeQueued or dlvSize as null without rejecting the record', () => {
    const r = recordOf(HEADER_23, 'd,2019-02-08 21:54:05+0000,soon,o@x.com,r@x.com,,,,,,,,,,,,,12kB');
    expect(r.timeQueued).toBeNull();
    expect(r.dlvSize).toBeNull();
  });

  it('rejects an unknown record type', () => {
    expect(rejectOf(HEADER_23, 'x,2019-02-08 21:54:05+0000')).toBe("unknown record type 'x'");
    expect(rejectOf(HEADER_23, ',2019-02-08 21:54:05+0000')).toBe("unknown record type ''");
  });

  it('rejects a missing or unparsable timeLogged, naming the value', () => {
    expect(rejectOf(HEADER_23, 'd,2019-02-30 21:54:05+0000')).toBe(
      "invalid timeLogged '2019-02-30 21:54:05+0000'",
    );
    expect(rejectOf(HEADER_23, 'd,,2019-02-08 21:54:05+0000')).toBe('missing timeLogged');
    expect(rejectOf('type,rcpt', 'd,a@b.com')).toBe('missing timeLogged');
  });
});
