import { describe, expect, it } from 'vitest';
import type { AcctRecord } from '../lib/acct/types.ts';
import { CopyBinaryWriter, decodeCopyBinary } from './copy-binary.ts';
import {
  keyFieldProblem,
  MAX_KEY_BYTES,
  MAX_RCPT_BYTES,
  RECORD_COLUMN_TYPES,
  RECORD_COLUMNS,
  recordRowProblem,
  writeRecordRow,
} from './record-row.ts';

const record: AcctRecord = {
  type: 'd',
  timeLogged: new Date('2026-01-10T10:00:05.250Z'),
  timeQueued: null,
  orig: 'b@x',
  rcpt: 'a@gmail.com',
  rcptDomain: 'gmail.com',
  provider: 'Google',
  dsnAction: 'relayed',
  dsnStatus: '2.0.0 (success)',
  dsnDiag: 'smtp;250 ok\\tfine\nsecond\ttab',
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

function decoded(r: AcctRecord, diagKey: string | null = null) {
  const w = new CopyBinaryWriter();
  writeRecordRow(w, 7, 'mta\t1', 123, r, diagKey);
  const [row] = decodeCopyBinary(w.finish(), RECORD_COLUMN_TYPES);
  return (name: string) => row[RECORD_COLUMNS.indexOf(name)];
}

describe('writeRecordRow', () => {
  it('writes one COPY binary row with a value per column, as it is', () => {
    const at = decoded(record, 'abc123');
    expect(at('time_logged')).toBe('2026-01-10T10:00:05.250Z');
    expect(at('file_id')).toBe(7);
    expect(at('byte_offset')).toBe(123);
    expect(at('source')).toBe('mta\t1');
    expect(at('type')).toBe('d');
    expect(at('time_queued')).toBeNull();
    expect(at('rcpt_domain')).toBe('gmail.com');
    expect(at('dsn_diag')).toBe('smtp;250 ok\\tfine\nsecond\ttab');
    expect(at('dsn_mta')).toBeNull();
    expect(at('dlv_size')).toBe(2048);
    expect(at('dlv_esmtp_available')).toBe('PIPELINING,8BITMIME');
    expect(JSON.parse(String(at('extra')))).toEqual({ 'header_X-Job': 'a"b' });
    expect(at('diag_key')).toBe('abc123');
  });

  it('writes {} for no extra columns, NULL for no diagnostic key or size', () => {
    const at = decoded({ ...record, extra: {}, dlvSize: null, timeQueued: new Date('2026-01-10T09:59:00Z') });
    expect(at('extra')).toBe('{}');
    expect(at('diag_key')).toBeNull();
    expect(at('dlv_size')).toBeNull();
    expect(at('time_queued')).toBe('2026-01-10T09:59:00.000Z');
  });

  it('holds times far from 2000 exactly (microseconds beyond 2^53)', () => {
    const at = decoded({ ...record, timeLogged: new Date('9999-12-31T23:59:59.999Z') });
    expect(at('time_logged')).toBe('9999-12-31T23:59:59.999Z');
  });
});

describe('recordRowProblem', () => {
  it('names a size its integer column cannot hold', () => {
    expect(recordRowProblem(record)).toBeNull();
    expect(recordRowProblem({ ...record, dlvSize: 2 ** 31 - 1 })).toBeNull();
    expect(recordRowProblem({ ...record, dlvSize: 99_999_999_999 })).toMatch(
      /dlvSize 99999999999 does not fit the dlv_size column/,
    );
  });
});

describe('value lengths', () => {
  it('refuses a recipient longer than MAX_RCPT_BYTES, counted in UTF-8 bytes', () => {
    const at = (local: string) => ({ ...record, rcpt: `${local}@gmail.com` });
    expect(recordRowProblem(at('a'.repeat(MAX_RCPT_BYTES - 10)))).toBeNull();
    expect(recordRowProblem(at('a'.repeat(MAX_RCPT_BYTES - 9)))).toBe(
      `rcpt is ${MAX_RCPT_BYTES + 1} bytes long; an address is at most ${MAX_RCPT_BYTES} bytes here`,
    );
    // 'é' is two bytes: 512 of them are 1,024 bytes before the domain.
    expect(recordRowProblem(at('é'.repeat(512)))).toMatch(/^rcpt is 1034 bytes long/);
  });

  it('refuses a dimension value longer than MAX_KEY_BYTES', () => {
    expect(keyFieldProblem({ ...record, jobId: 'j'.repeat(MAX_KEY_BYTES) })).toBeNull();
    expect(keyFieldProblem({ ...record, jobId: 'j'.repeat(MAX_KEY_BYTES + 1) })).toBe(
      `jobId is ${MAX_KEY_BYTES + 1} bytes long; at most ${MAX_KEY_BYTES} are counted`,
    );
    expect(keyFieldProblem({ ...record, rcptDomain: `${'ü'.repeat(128)}.de` })).toMatch(
      /^rcptDomain is 259 bytes long/,
    );
  });
});
