import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { splitCsvRecord } from './split-fields.ts';

const papa = (text: string) =>
  Papa.parse<string[]>(text, { delimiter: ',', newline: '\n', quoteChar: '"', escapeChar: '"' }).data[0];

describe('splitCsvRecord', () => {
  it('splits plain, quoted, empty and trailing fields', () => {
    expect(splitCsvRecord('d,a b,,c')).toEqual(['d', 'a b', '', 'c']);
    expect(splitCsvRecord('d,"PIPELINING,8BITMIME",x')).toEqual(['d', 'PIPELINING,8BITMIME', 'x']);
    expect(splitCsvRecord('d,"say ""hi""",')).toEqual(['d', 'say "hi"', '']);
    expect(splitCsvRecord('"multi\nline",""')).toEqual(['multi\nline', '']);
    expect(splitCsvRecord('a,')).toEqual(['a', '']);
    expect(splitCsvRecord('')).toEqual(['']);
  });
  it('gives up on irregular records, which papaparse then reads', () => {
    expect(splitCsvRecord('d,ab"c,d')).toBeNull();
    expect(splitCsvRecord('d,"ab"c,d')).toBeNull();
    expect(splitCsvRecord('d,"unterminated')).toBeNull();
  });
  it('agrees with papaparse on every well-formed record (random records)', () => {
    let seed = 12345;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const alphabet = ['a', 'b', ',', '"', '\n', '\r', ' ', 'é', '😀', ';'];
    let compared = 0;
    for (let k = 0; k < 5000; k++) {
      const fields = Array.from({ length: 1 + Math.floor(rand() * 6) }, () =>
        Array.from(
          { length: Math.floor(rand() * 6) },
          () => alphabet[Math.floor(rand() * alphabet.length)],
        ).join(''),
      );
      const text = fields
        .map((f) => (/[",\n\r]/.test(f) || rand() < 0.2 ? `"${f.replaceAll('"', '""')}"` : f))
        .join(',');
      const ours = splitCsvRecord(text);
      expect(ours).toEqual(fields);
      if (text === '') continue; // never a record: the splitter skips blank lines
      expect(ours).toEqual(papa(text));
      compared++;
    }
    expect(compared).toBeGreaterThan(4500);
  });
});
