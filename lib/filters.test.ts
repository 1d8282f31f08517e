import { describe, expect, it } from 'vitest';
import { filterParamValue, NONE, parseFilters, parseTimeZone } from './filters.ts';
import { filtersQuery, recordsHref } from './screen-params.ts';

const WINDOW = 'from=2026-01-10T10:00:00Z&to=2026-01-10T11:00:00Z';

describe('the "(none)" filter value', () => {
  it('selects the empty key; an empty value is no filter', () => {
    const f = parseFilters(new URLSearchParams(`${WINDOW}&vmta=${NONE}&vmta=vmta1&pool=&job=(none),job-1`));
    expect(f.vmta).toEqual(['', 'vmta1']);
    expect(f.pool).toEqual([]);
    expect(f.job).toEqual(['', 'job-1']);
    // Only the exact token: a domain is lower-cased after, so "(NONE)" stays a (missing) domain.
    expect(parseFilters(new URLSearchParams(`${WINDOW}&domain=(NONE)`)).domain).toEqual(['(none)']);
  });

  it('is written back as (none) in links, for the filters and for a row key', () => {
    const f = parseFilters(new URLSearchParams(`${WINDOW}&vmta=(none)`));
    const q = new URLSearchParams(filtersQuery(f, { job: '', type: 'r', template: '' }));
    expect(q.getAll('vmta')).toEqual(['(none)']);
    expect(q.getAll('job')).toEqual(['(none)']);
    // Not a filter: written as given.
    expect(q.getAll('template')).toEqual(['']);
    expect(parseFilters(new URLSearchParams(recordsHref(f, { pool: '' }).split('?')[1])).pool).toEqual(['']);
    expect(filterParamValue('')).toBe(NONE);
    expect(filterParamValue('vmta1')).toBe('vmta1');
  });
});

describe('parseTimeZone', () => {
  it('keeps the zone as written, fixing only its case', () => {
    const tz = (v: string) => parseTimeZone(new URLSearchParams({ tz: v }));
    expect(tz('Asia/Kolkata')).toBe('Asia/Kolkata');
    expect(tz('europe/paris')).toBe('Europe/Paris');
    expect(tz('utc')).toBe('UTC');
    expect(() => tz('Mars/Olympus')).toThrow(/tz must be an IANA time zone/);
  });
});
