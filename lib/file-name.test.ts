import { describe, expect, it } from 'vitest';
import { fileBaseName, fileLabel } from './file-name.ts';

describe('fileBaseName', () => {
  it('keeps the last segment of a POSIX path', () => {
    expect(fileBaseName('/var/log/pmta/acct-2026-11-21-0000.csv')).toBe('acct-2026-11-21-0000.csv');
  });
  it('keeps the last segment of a Windows path', () => {
    expect(fileBaseName('C:\\pmta\\log\\acct-2026-11-21-0000.csv')).toBe('acct-2026-11-21-0000.csv');
  });
  it('keeps a bare name, and a path ending in a separator whole', () => {
    expect(fileBaseName('acct.csv')).toBe('acct.csv');
    expect(fileBaseName('/var/log/')).toBe('/var/log/');
  });
});

describe('fileLabel', () => {
  it('names the host before the file', () => {
    expect(fileLabel({ source: 'mta1', path: '/var/log/pmta/acct-1.csv' })).toBe('mta1 · acct-1.csv');
  });
});
