import { describe, expect, it } from 'vitest';
import { cursorAt, encodeCursor } from './record-cursor.ts';

const decoded = (cursor: string) => JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));

describe('record cursors', () => {
  it('are the base64url JSON the records API reads', () => {
    const c = { t: '2026-01-10T10:00:00.000Z', f: 7, o: '12345' };
    const cursor = encodeCursor(c);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor).toBe(Buffer.from(JSON.stringify([c.t, c.f, c.o])).toString('base64url'));
  });

  it('start a page with the record: one byte past it in its file, beyond 2^53 too', () => {
    expect(decoded(cursorAt('2026-01-10T10:00:00.000Z', '3:99'))).toEqual([
      '2026-01-10T10:00:00.000Z',
      3,
      '100',
    ]);
    expect(decoded(cursorAt('2026-01-10T10:00:00.000Z', '3:9007199254740993'))[2]).toBe('9007199254740994');
  });
});
