/** A keyset position in the records list: a record's (time_logged, file_id, byte_offset). */
export interface Cursor {
  t: string;
  f: number;
  o: string;
}

/**
 * A page cursor as the records API writes it (lib/queries/get-records.ts decodes it): base64url
 * JSON, ASCII only, so btoa serves both the server and the browser.
 */
export function encodeCursor(c: Cursor): string {
  return btoa(JSON.stringify([c.t, c.f, c.o]))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '');
}

/**
 * The cursor of the page that starts with this record (id `file:offset`, as the API lists it): a
 * page holds the records before its cursor, and no record lies between this one and the next
 * byte of its file.
 */
export function cursorAt(timeLogged: string, id: string): string {
  const [f, o] = id.split(':');
  return encodeCursor({ t: timeLogged, f: Number(f), o: String(BigInt(o) + 1n) });
}

/** The id of a record's details element in the explorer (`file:offset` is its id in the API): a link's #fragment. */
export const recordAnchor = (id: string) => `record-${id.replace(':', '-')}`;
