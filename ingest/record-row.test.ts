import { describe, expect, it } from 'vitest';
import type { AcctRecord } from '../lib/acct/types.ts';
import { RECORD_COLUMNS, recordRow } from './record-row.ts';

const record: AcctRecord = {
  type: 'd',
  timeLogged: new Date('2026-01-10T10:00:05Z'),
  timeQueued: null,
  orig: 'b@x',
  rcpt: 'a@gmail.com',
  rcptDomain: 'gmail.com',
  provider: 'Google',
  dsnAction: 'relayed',
  dsnStatus: '2.0.0 (success)',
  dsnDiag: 'smtp;250 ok\\tfine\nsecond',
  dsnMta: null,
  bounceCat: null,
  dlvSourceIp: '203.0.113.1',
  dlvDestinationIp: null,
  dlvSize: 2048,
  vmta: 'vmta1',
  vmtaPool: 'pool-a',
  jobId: null,
  envId: null,
  queue: 'gmail.com/vmta1',
  feedbackType: null,
  reportingMta: null,
  orcpt: null,
  srcType: 'api',
  srcMta: null,
  dlvType: 'smtp',
  dlvEsmtpAvailable: 'PIPELINING,8BITMIME',
  extra: { 'header_X-Job': 'a"b' },
};

describe('recordRow', () => {
  it('writes one COPY line with a value per column, escaped', () => {
    const row = recordRow(7, 'mta1', 123, record);
    expect(row.endsWith('\n')).toBe(true);
    const cols = row.slice(0, -1).split('\t');
    expect(cols).toHaveLength(RECORD_COLUMNS.length);
    const at = (name: string) => cols[RECORD_COLUMNS.indexOf(name)];
    expect(at('time_logged')).toBe('2026-01-10T10:00:05.000Z');
    expect(at('time_queued')).toBe('\\N');
    expect(at('byte_offset')).toBe('123');
    expect(at('dsn_diag')).toBe('smtp;250 ok\\\\tfine\\nsecond');
    expect(at('dlv_size')).toBe('2048');
    expect(at('extra')).toBe('{"header_X-Job":"a\\\\"b"}');
  });
  it('skips per-field escaping only when told the record is clean, and then agrees', () => {
    const clean = { ...record, dsnDiag: 'smtp;250 ok' };
    expect(recordRow(7, 'mta1', 1, clean, true)).toBe(recordRow(7, 'mta1', 1, clean, false));
  });
});
