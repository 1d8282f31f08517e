import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getFirstRecordMinute } from '../../lib/queries/get-has-data.ts';
import { createTestDatabase, type TestDatabase } from '../db.ts';
import { folderWithLines, ingestOnce } from '../helpers.ts';

// Where the records begin, as the KPI cards say it ("records start 10:41") and judge a previous
// period by: one the records begin within is not compared with.

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  process.env.DATABASE_URL = db.url;
}, 60_000);
afterAll(async () => {
  await db?.drop();
});

describe('getFirstRecordMinute', () => {
  it('is null before any record', async () => {
    expect(await getFirstRecordMinute()).toBeNull();
  });

  it("is the first record's minute, not its hour, and that hour once its minutes are no longer kept", async () => {
    const dir = folderWithLines('acct-first-record-', 'acct-2026-01-10-0000.csv', [
      'type,timeLogged,rcpt,vmta',
      'd,2026-01-10 10:41:30+0000,a@gmail.com,vmta1',
      'd,2026-01-10 10:50:00+0000,b@gmail.com,vmta1',
      'b,2026-01-10 11:05:00+0000,c@gmail.com,vmta1',
    ]);
    await ingestOnce(db.url, [dir]);
    // It was 10:00: the least of the minute rollups' first minute and the hour rollups' first hour.
    expect((await getFirstRecordMinute())?.toISOString()).toBe('2026-01-10T10:41:00.000Z');
    // The minutes of that day deleted (as MINUTE_ROLLUP_RETENTION_DAYS deletes whole UTC days):
    // the hour holding the first record, never later than it.
    await db.query(`DELETE FROM rollup_minute WHERE bucket < '2026-01-11T00:00:00Z'`);
    expect((await getFirstRecordMinute())?.toISOString()).toBe('2026-01-10T10:00:00.000Z');
  });
});
