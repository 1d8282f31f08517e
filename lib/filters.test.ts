import { describe, expect, it } from 'vitest';
import {
  currentZoneName,
  DEFAULT_TIME_ZONE,
  filterParamValue,
  keyLabel,
  keyOfPathSegment,
  NONE,
  ParamError,
  parseFilters,
  parseInstant,
  parseTimeZone,
  pathSegmentOfKey,
  single,
  splitFilterValues,
  sqlTimeZone,
} from './filters.ts';
import { filtersQuery, recordsHref } from './screen-params.ts';
import { detailHref } from './screens.ts';

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

describe('a detail page of the key "(none)" itself', () => {
  it('has a path of its own, apart from the records without the field (QA: both opened the latter)', () => {
    for (const key of ['', NONE, 'job-1', '"quoted"', 'a,b', 'a/b?c#d%e&f', ' x ']) {
      const segment = pathSegmentOfKey(key);
      expect({ key, back: keyOfPathSegment(segment) }).toEqual({ key, back: key });
      const href = detailHref('job', key || 'x') ?? '';
      expect(keyOfPathSegment(decodeURIComponent(href.split('/')[2]))).toBe(key || 'x');
    }
    expect(detailHref('job', NONE)).toBe('/jobs/%22(none)%22');
    expect(keyOfPathSegment('(none)')).toBe('');
  });

  it('is shown in quotes, so its row reads apart from the (none) row', () => {
    expect(keyLabel('')).toBe('(none)');
    expect(keyLabel(NONE)).toBe('"(none)"');
    expect(keyLabel('job-1')).toBe('job-1');
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

  it('refuses abbreviations, which ICU and PostgreSQL read as different zones', () => {
    const tz = (v: string) => parseTimeZone(new URLSearchParams({ tz: v }));
    // ICU: Dhaka and Kolkata; PostgreSQL: British Summer Time and Israel.
    for (const abbreviation of ['BST', 'IST', 'EST', 'CET']) {
      expect(() => tz(abbreviation)).toThrow(/tz must be an IANA time zone name/);
    }
    expect(tz('GMT')).toBe('GMT');
  });

  it('gives PostgreSQL the canonical name of an alias it may not know', () => {
    const tz = parseTimeZone(new URLSearchParams({ tz: 'US/Pacific-New' }));
    expect(tz).toBe('US/Pacific-New'); // shown as written
    expect(sqlTimeZone(tz)).toBe('America/Los_Angeles'); // what date_trunc is given
    expect(sqlTimeZone('Asia/Kolkata')).toBe('Asia/Calcutta');
    expect(sqlTimeZone('UTC')).toBe('UTC');
  });
});

describe('currentZoneName', () => {
  it("gives IANA's current name for every zone ICU lists by a retired alias, and the same zone", () => {
    const at = Date.UTC(2026, 6, 1, 12);
    const wall = (tz: string) =>
      new Intl.DateTimeFormat('en-US', { timeZone: tz, timeStyle: 'full' }).format(at);
    const renamed = Intl.supportedValuesOf('timeZone').filter((z) => currentZoneName(z) !== z);
    expect(renamed).toContain('Asia/Calcutta');
    expect(currentZoneName('Asia/Calcutta')).toBe('Asia/Kolkata');
    expect(currentZoneName('Europe/Kiev')).toBe('Europe/Kyiv');
    for (const z of renamed) {
      // ICU reads the current name as the alias it lists: the same zone, and parseTimeZone takes it.
      expect(
        new Intl.DateTimeFormat('en-US', { timeZone: currentZoneName(z) }).resolvedOptions().timeZone,
      ).toBe(z);
      expect(wall(currentZoneName(z))).toBe(wall(z));
      expect(parseTimeZone(new URLSearchParams({ tz: currentZoneName(z) }))).toBe(currentZoneName(z));
    }
    expect(currentZoneName('Europe/Paris')).toBe('Europe/Paris');
  });
});

describe('parseInstant', () => {
  it('refuses a calendar date or wall time that does not exist instead of rolling it over', () => {
    for (const v of [
      '2026-11-31T10:00:00Z',
      '2026-02-29',
      '2026-04-31',
      '2026-02-30T00:00Z',
      '2026-01-01T24:00Z',
    ]) {
      expect(() => parseInstant(v, 'from')).toThrow(`from is not a date and time that exist: '${v}'`);
    }
    expect(parseInstant('2028-02-29', 'from').toISOString()).toBe('2028-02-29T00:00:00.000Z');
    expect(parseInstant('2026-12-31T23:59:59+0100', 'to').toISOString()).toBe('2026-12-31T22:59:59.000Z');
  });
});

describe('NUL in a parameter', () => {
  it('is a parameter error, not a value sent to PostgreSQL', () => {
    const filters = new URLSearchParams({ from: '2026-01-01', to: '2026-01-02', domain: 'a\0b' });
    expect(() => parseFilters(filters)).toThrow(ParamError);
    expect(() => parseFilters(filters)).toThrow('domain must not contain a NUL character (%00)');
    expect(() => single(new URLSearchParams({ q: 'x\0' }), 'q')).toThrow('q must not contain a NUL');
  });
});

describe('the domain filter', () => {
  it('names a domain as the ingest stores it: lower case, IDN as Unicode', () => {
    const domains = (...v: string[]) =>
      parseFilters(
        new URLSearchParams([['from', '2026-01-01'], ['to', '2026-01-02'], ...v.map((d) => ['domain', d])]),
      ).domain;
    expect(domains('xn--bcher-kva.de', 'B\u00dcCHER.de', 'bu\u0308cher.de', 'Gmail.com')).toEqual([
      'bücher.de',
      'bücher.de',
      'bücher.de',
      'gmail.com',
    ]);
  });
});

describe('filter values a plain value cannot spell', () => {
  it('round-trip through filterParamValue and parseFilters', () => {
    for (const key of ['a,b', ' x ', '(none)', 'say "hi"', 'plain', '', 'bücher.de']) {
      const params = new URLSearchParams({
        from: '2026-01-01',
        to: '2026-01-02',
        job: filterParamValue(key),
      });
      expect(parseFilters(params).job).toEqual([key]);
    }
    expect(filterParamValue('plain')).toBe('plain');
    expect(filterParamValue('a,b')).toBe('"a,b"');
  });

  it('split on commas outside quotes', () => {
    expect(splitFilterValues('a, b,,c', 'job')).toEqual(['a', 'b', 'c']);
    expect(splitFilterValues('"a,b", c ,"(none)",(none)', 'job')).toEqual(['a,b', 'c', '(none)', '']);
    expect(splitFilterValues('"x ""y"""', 'job')).toEqual(['x "y"']);
    expect(() => splitFilterValues('"open', 'job')).toThrow('job has a quote that is not closed');
    expect(() => splitFilterValues('"a"b', 'job')).toThrow('a quoted value must be followed by a comma');
  });
});

describe('the day presets (range=today|yesterday)', () => {
  const window = (query: string, now: string) => {
    const f = parseFilters(new URLSearchParams(query), new Date(now));
    return [f.from.toISOString(), f.to.toISOString()];
  };

  it('are the calendar days of the zone: today up to the end of the current minute', () => {
    expect(window('range=today&tz=UTC', '2026-12-07T17:50:11Z')).toEqual([
      '2026-12-07T00:00:00.000Z',
      '2026-12-07T17:51:00.000Z',
    ]);
    expect(window('range=yesterday&tz=UTC', '2026-12-07T17:50:11Z')).toEqual([
      '2026-12-06T00:00:00.000Z',
      '2026-12-07T00:00:00.000Z',
    ]);
    // 01:30 in Tokyo is still the 7th there, though the 6th in UTC.
    expect(window('range=yesterday&tz=Asia/Tokyo', '2026-12-06T16:30:00Z')).toEqual([
      '2026-12-05T15:00:00.000Z',
      '2026-12-06T15:00:00.000Z',
    ]);
    expect(window('range=today&tz=America/New_York', '2026-12-07T03:00:00Z')).toEqual([
      '2026-12-06T05:00:00.000Z',
      '2026-12-07T03:01:00.000Z',
    ]);
    // Half-hour and 45-minute zones.
    expect(window('range=yesterday&tz=Asia/Kathmandu', '2026-12-07T12:00:00Z')).toEqual([
      '2026-12-05T18:15:00.000Z',
      '2026-12-06T18:15:00.000Z',
    ]);
  });

  it('last 23 or 25 hours across a DST change', () => {
    // Berlin: clocks forward on 29 March 2026, back on 25 October 2026.
    const [from, to] = window('range=yesterday&tz=Europe/Berlin', '2026-03-30T10:00:00Z');
    expect([from, to]).toEqual(['2026-03-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z']);
    const [from2, to2] = window('range=yesterday&tz=Europe/Berlin', '2026-10-26T10:00:00Z');
    expect((Date.parse(to2) - Date.parse(from2)) / 3_600_000).toBe(25);
    expect(from2).toBe('2026-10-24T22:00:00.000Z');
  });

  it('use the server default zone without tz, and refuse a zone that is not one', () => {
    expect(window('range=yesterday', '2026-12-07T17:50:11Z')).toEqual(
      window(`range=yesterday&tz=${DEFAULT_TIME_ZONE}`, '2026-12-07T17:50:11Z'),
    );
    expect(() => parseFilters(new URLSearchParams('range=today&tz=BST'))).toThrow(
      expect.objectContaining({ param: 'tz' }),
    );
    expect(() => parseFilters(new URLSearchParams('range=lastweek'))).toThrow(
      expect.objectContaining({ param: 'range', message: expect.stringContaining('today, yesterday') }),
    );
  });

  it('are taken as if now were `to` when one is given, and give way to `from`', () => {
    expect(window('range=yesterday&tz=UTC&to=2026-12-07T00:00:00Z', '2026-12-09T08:00:00Z')).toEqual([
      '2026-12-06T00:00:00.000Z',
      '2026-12-07T00:00:00.000Z',
    ]);
    expect(window('range=today&tz=UTC&to=2026-12-07T00:00:00Z', '2026-12-09T08:00:00Z')).toEqual([
      '2026-12-06T00:00:00.000Z',
      '2026-12-07T00:00:00.000Z',
    ]);
    expect(window('range=today&tz=UTC&to=2026-12-07T09:30:00Z', '2026-12-09T08:00:00Z')).toEqual([
      '2026-12-07T00:00:00.000Z',
      '2026-12-07T09:30:00.000Z',
    ]);
    expect(window('range=yesterday&from=2026-12-01T00:00:00Z', '2026-12-07T17:50:11Z')).toEqual([
      '2026-12-01T00:00:00.000Z',
      '2026-12-07T17:51:00.000Z',
    ]);
    // The length presets are unchanged: the hours before `to`, or before the end of the minute.
    expect(window('range=24h&to=2026-12-07T09:30:10Z', '2026-12-09T08:00:00Z')).toEqual([
      '2026-12-06T09:30:10.000Z',
      '2026-12-07T09:30:10.000Z',
    ]);
    expect(window('range=1h', '2026-12-07T17:50:11Z')).toEqual([
      '2026-12-07T16:51:00.000Z',
      '2026-12-07T17:51:00.000Z',
    ]);
  });
});
