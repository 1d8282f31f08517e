const QUOTE = 34;
const COMMA = 44;

/**
 * Splits one well-formed RFC 4180 record into its fields, or returns null when the record is not
 * strictly well-formed (a quote inside an unquoted field, text after a closing quote, an
 * unterminated quote). This is the fast path of parseLines: on well-formed input RFC 4180 leaves
 * no choice, so the fields are exactly papaparse's; anything irregular goes to papaparse, which
 * stays the authority on malformed input. Measured ~4× faster than Papa.parse per record.
 */
export function splitCsvRecord(text: string): string[] | null {
  const out: string[] = [];
  const n = text.length;
  let i = 0;
  let nextQuote = text.indexOf('"');
  for (;;) {
    if (i < n && text.charCodeAt(i) === QUOTE) {
      let value = '';
      let start = i + 1;
      for (;;) {
        const q = text.indexOf('"', start);
        if (q === -1) return null;
        if (q + 1 < n && text.charCodeAt(q + 1) === QUOTE) {
          value += text.slice(start, q + 1); // a doubled quote stands for one
          start = q + 2;
          continue;
        }
        value += text.slice(start, q);
        i = q + 1;
        break;
      }
      out.push(value);
      nextQuote = text.indexOf('"', i);
      if (i === n) return out;
      if (text.charCodeAt(i) !== COMMA) return null;
      i++;
    } else {
      const comma = text.indexOf(',', i);
      const end = comma === -1 ? n : comma;
      if (nextQuote !== -1 && nextQuote < end) return null;
      out.push(text.slice(i, end));
      if (comma === -1) return out;
      i = comma + 1;
    }
    if (i === n) {
      out.push(''); // a trailing comma ends with an empty field
      return out;
    }
  }
}
