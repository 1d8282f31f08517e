import { describe, expect, it } from 'vitest';
import { buildColumnMap, isHeaderRow } from './header.ts';
import { HEADER_23, TQ_HEADER } from './test-samples.ts';

describe('isHeaderRow', () => {
  it('recognises a row whose first field is `type`, whatever its case and spaces', () => {
    expect(isHeaderRow(HEADER_23.split(','))).toBe(true);
    expect(isHeaderRow([' TYPE ', 'timeLogged'])).toBe(true);
    expect(isHeaderRow(['d', 'type'])).toBe(false);
    expect(isHeaderRow(['types'])).toBe(false);
    expect(isHeaderRow([])).toBe(false);
  });
});

describe('buildColumnMap', () => {
  it('maps the 23 default d/b/t columns, all typed', () => {
    const map = buildColumnMap(HEADER_23.split(','));
    expect(map.index.timeLogged).toBe(1);
    expect(map.index.rcpt).toBe(4);
    expect(map.index.dlvSize).toBe(17);
    expect(map.index.queue).toBe(21);
    expect(map.index.vmtaPool).toBe(22);
    expect(map.index.feedbackType).toBe(-1);
    expect(map.index.srcMta).toBe(12);
    expect(map.index.dlvEsmtpAvailable).toBe(16);
    expect(map.extraNames).toEqual([]);
    expect(map.extraIndexes).toEqual([]);
  });

  it('maps the tq header by name, whatever the order', () => {
    const map = buildColumnMap(TQ_HEADER.split(','));
    expect(map.index.queue).toBe(9);
    expect(map.index.vmta).toBe(8);
    expect(map.index.rcpt).toBe(-1);
    expect(map.index.dlvType).toBe(5);
    expect(map.extraNames).toEqual([]);
  });

  it('falls back to case-insensitive names and prefers an exact match', () => {
    const map = buildColumnMap(['type', 'timelogged', 'envid', 'reportingMTA', 'dsnReportingMTA', 'envId']);
    expect(map.index.timeLogged).toBe(1);
    expect(map.index.envId).toBe(5);
    expect(map.index.reportingMta).toBe(3);
    expect(map.index.dsnReportingMta).toBe(4);
    expect(map.extraNames).toEqual(['envid', 'dsnReportingMTA']);
  });

  it('keeps the first of duplicate column names', () => {
    const map = buildColumnMap(['type', 'timeLogged', 'rcpt', 'header_X-Job', 'rcpt', 'header_X-Job']);
    expect(map.index.rcpt).toBe(2);
    expect(map.extraNames).toEqual(['header_X-Job']);
    expect(map.extraIndexes).toEqual([3]);
  });

  it('keeps header_*, arf_* and unknown columns in extra under their names as written', () => {
    const map = buildColumnMap([
      'type',
      'timeLogged',
      'header_Message-Id',
      'arf_Feedback-Type',
      'someFutureField',
      '',
      ' timeQueued ',
    ]);
    expect(map.extraNames).toEqual(['header_Message-Id', 'arf_Feedback-Type', 'someFutureField', '_col5']);
    expect(map.index.timeQueued).toBe(6);
  });
});
