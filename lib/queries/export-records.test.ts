import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { jsonbStringify, utcIso } from './export-records.ts';

// The export writes timestamps and extras from PostgreSQL's text where it can; it must write what
// node-postgres' parsed values gave (toISOString, JSON.stringify of JSON.parse), byte for byte.

const parseDate = pg.types.getTypeParser(1184, 'text');

describe('utcIso', () => {
  it('writes every ms of a second as toISOString of node-postgres’ Date does', () => {
    for (let ms = 0; ms < 1000; ms++) {
      // PostgreSQL drops the fraction's trailing zeros, and the fraction when whole.
      const fraction = String(ms).padStart(3, '0').replace(/0+$/, '');
      for (const day of [
        '2026-03-01 23:59:59',
        '0050-01-01 00:00:00',
        '0999-12-31 12:34:56',
        '9999-12-31 23:59:59',
      ]) {
        const text = `${day}${fraction ? `.${fraction}` : ''}+00`;
        expect(utcIso(text), text).toBe((parseDate(text) as Date).toISOString());
      }
    }
  });

  it('leaves what it does not read to node-postgres: other zones, BC, 5-digit years, infinity, µs', () => {
    for (const text of [
      '2026-03-01 23:59:59+01',
      '2026-03-01 23:59:59+00:30',
      '2026-03-01 23:59:59-00',
      '0044-03-15 12:00:00+00 BC',
      '10000-01-01 00:00:00+00',
      'infinity',
      '-infinity',
      '2026-03-01 23:59:59.1234+00',
      '01.03.2026 23:59:59 UTC',
    ])
      expect(utcIso(text), text).toBeUndefined();
  });
});

describe('jsonbStringify', () => {
  it('writes an object of plain strings as JSON.stringify(JSON.parse(text)) does', () => {
    for (const text of [
      '{"a": "b"}',
      '{"": ""}',
      '{"header_X-Job": "digest-1007", "header_List-Id": "<news.example.com>, x"}',
      '{"k": "日本語 ünï", "__proto__": "p", "1a": "not an index", "01": "nor this"}',
    ])
      expect(jsonbStringify(text), text).toBe(JSON.stringify(JSON.parse(text)));
  });

  it('leaves escapes, other values and array-index keys (JSON.parse moves them first) to JSON.parse', () => {
    for (const text of [
      '{"b": "x", "1": "y"}',
      '{"0": "y"}',
      '{"a": "say \\"hi\\""}',
      '{"a": "line\\nbreak"}',
      '{"a": 1.50}',
      '{"a": null}',
      '{"a": {"b": "c"}}',
      '{"a": ["b"]}',
      '["a"]',
      '"a"',
      '{"a": "b"} ',
      '{"a": "b",  "c": "d"}',
    ])
      expect(jsonbStringify(text), text).toBeUndefined();
  });
});
