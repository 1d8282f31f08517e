import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { NextRequest } from 'next/server';
import Papa from 'papaparse';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as suppressionsRoute } from '../../app/api/v1/suppressions/route.ts';
import { entryRecordsHref, reasonRecordsHref } from '../../app/suppressions/records-links.ts';
import { countRecords, parseRecordQuery } from '../../lib/queries/get-records.ts';
import { getSuppressionCounts } from '../../lib/queries/get-suppression-counts.ts';
import {
  eventCountSql,
  getSuppressions,
  type Suppression,
  suppressionPageSql,
} from '../../lib/queries/get-suppressions.ts';
import { SUPPRESSION_REASONS } from '../../lib/queries/suppression-sql.ts';
import { createTestDatabase, type TestDatabase } from '../db.ts';
import { apiGet, copyFixtures, ingestOnce } from '../helpers.ts';

// Suppressions over the e2e fixtures, then over extra files written into the same folder: which
// records make a recipient suppressed, de-duplication, keyset polling, the CSV and bad parameters.

const SINCE = new Date('2026-01-10T00:00:00Z');
const HEADER = 'type,timeLogged,rcpt,bounceCat,dsnStatus,dsnDiag,vmta,feedbackType';

let db: TestDatabase;
let dir: string;

beforeAll(async () => {
  db = await createTestDatabase();
  process.env.DATABASE_URL = db.url;
  dir = copyFixtures('acct-suppressions-');
  await ingestOnce(db.url, [dir]);
});

afterAll(async () => {
  await db?.drop();
});

/** Adds an accounting file to the followed folder and ingests it. */
async function addFile(name: string, rows: string[]) {
  writeFileSync(path.join(dir, name), `${HEADER}\n${rows.join('\n')}\n`);
  await ingestOnce(db.url, [dir]);
}

async function call(query: string, headers: Record<string, string> = {}) {
  return suppressionsRoute(
    new NextRequest(new URL(`/api/v1/suppressions?${query}`, 'http://localhost'), { headers }),
  );
}

/** The links are built at this instant: after every record of the test. */
const NOW = Date.parse('2026-01-12T00:00:00Z');

/** The search params of a records explorer link (one that must exist). */
function linkParams(href: string | null): URLSearchParams {
  expect(href).toMatch(/^\/records\?/);
  return new URL(href ?? '', 'http://localhost').searchParams;
}

const brief = (s: Suppression) => [s.time, s.rcpt, s.reason, s.eventCount];

/** Every entry from `since`, one page of `limit` at a time. */
async function walk(limit: number) {
  const all: Suppression[] = [];
  let cursor: string | undefined;
  let pages = 0;
  for (;;) {
    const page = await getSuppressions({ since: SINCE, cursor, limit });
    pages++;
    all.push(...page.suppressions);
    if (!page.hasMore) return { all, pages, last: page.nextCursor };
    cursor = page.nextCursor ?? undefined;
  }
}

describe('suppressions', () => {
  it('lists the fixtures’ hard bounce and remote bounce, each recipient once at its first event', async () => {
    const result = await getSuppressions({ since: SINCE, limit: 100 });
    expect(result.since).toBe('2026-01-10T00:00:00.000Z');
    expect(result.hasMore).toBe(false);
    const files = await db.query<{ id: number; path: string }>('SELECT id, path FROM acct_file');
    const fileOf = (name: string) => files.find((f) => f.path.endsWith(`/${name}`));
    const delivery = fileOf('acct-2026-01-10-0000.csv');
    const remote = fileOf('acct-2026-01-10-0002.csv');
    // Not listed: the quota-issues and policy-related `b` (soft), the JMRP `f` without a
    // recipient, and the complaint of a@gmail.com (already suppressed by its earlier `rb`).
    expect(result.suppressions).toEqual([
      {
        rcpt: 'c@yahoo.com',
        rcptDomain: 'yahoo.com',
        reason: 'hard-bounce',
        time: '2026-01-10T10:01:10.000Z',
        bounceCategory: 'bad-mailbox',
        dsnStatus: '5.1.1 (bad destination mailbox address)',
        dsnDiag: 'smtp;554 5.1.1 <c@yahoo.com>: recipient invalid, sorry',
        feedbackType: null,
        vmta: 'vmta2',
        jobId: 'job-2',
        source: 'test-host',
        eventCount: 1,
        recordId: expect.stringMatching(new RegExp(`^${delivery?.id}:\\d+$`)),
        file: { id: delivery?.id, path: delivery?.path, offset: expect.any(Number) },
      },
      {
        rcpt: 'a@gmail.com',
        rcptDomain: 'gmail.com',
        reason: 'remote-bounce',
        time: '2026-01-10T10:11:00.000Z',
        bounceCategory: 'quota-issues',
        dsnStatus: '5.2.2 (mailbox full)',
        dsnDiag: 'smtp;552 5.2.2 mailbox full',
        feedbackType: null,
        vmta: null,
        jobId: null,
        source: 'test-host',
        eventCount: 2,
        recordId: expect.stringMatching(new RegExp(`^${remote?.id}:\\d+$`)),
        file: { id: remote?.id, path: remote?.path, offset: expect.any(Number) },
      },
    ]);
    expect(await getSuppressionCounts({ since: SINCE })).toEqual({
      'hard-bounce': 1,
      'remote-bounce': 1,
      complaint: 0,
    });
  });

  it('traces each entry to its record in the records API', async () => {
    const { suppressions } = await getSuppressions({ since: SINCE, limit: 100 });
    for (const s of suppressions) {
      const { body } = await apiGet(
        `/api/v1/records?rcpt=${encodeURIComponent(s.rcpt)}&from=2026-01-10T00:00:00Z&to=2026-01-11T00:00:00Z&limit=100`,
      );
      const record = body.records.find((r: { id: string }) => r.id === s.recordId);
      expect(record).toMatchObject({ timeLogged: s.time, rcpt: s.rcpt, file: s.file });
    }
  });

  it('takes the hard bounce categories as a parameter', async () => {
    const { suppressions } = await getSuppressions({ since: SINCE, limit: 100 }, [
      'quota-issues',
      'policy-related',
    ]);
    expect(suppressions.map(brief)).toEqual([
      ['2026-01-10T10:02:00.000Z', 'user3@domain.com', 'hard-bounce', 1],
      ['2026-01-10T10:08:00.000Z', 'k@xn--bcher-kva.de', 'hard-bounce', 1],
      ['2026-01-10T10:11:00.000Z', 'a@gmail.com', 'remote-bounce', 2],
    ]);
  });

  it('lists a recipient once, at its first event ever, spelt as then, whatever the case later', async () => {
    await addFile('acct-extra-2026-01-10-0000.csv', [
      // A later hard bounce of c@yahoo.com, spelt differently: counted, not listed again.
      'b,2026-01-10 10:30:00+0000,C@Yahoo.COM,inactive-mailbox,5.1.1 (gone),smtp;550 gone,vmta3,',
      // A complaint of a new recipient.
      'f,2026-01-10 10:40:00+0000,Pat@Example.org,,,,,abuse',
      // q@example.net: the rb comes later in the file but its hard bounce is earlier in time.
      'rb,2026-01-10 10:50:00+0000,q@example.net,bad-mailbox,5.1.1 (unknown),smtp;550 unknown,,',
      'b,2026-01-10 09:00:00+0000,Q@example.NET,bad-domain,5.1.2 (bad domain),smtp;550 5.1.2 no such domain,vmta1,',
      // Values the CSV must quote: a comma, quotes and a line break in the diagnostic.
      'b,2026-01-10 10:45:00+0000,z@example.com,bad-mailbox,5.1.1 (unknown),"smtp;550 5.1.1 ""z"" unknown, see\nhttps://example.com/help",vmta1,',
      // Soft: never a suppression.
      'b,2026-01-10 10:46:00+0000,soft@example.com,quota-issues,4.2.2 (full),smtp;452 full,vmta1,',
    ]);
    const { suppressions } = await getSuppressions({ since: SINCE, limit: 100 });
    expect(suppressions.map(brief)).toEqual([
      ['2026-01-10T09:00:00.000Z', 'Q@example.NET', 'hard-bounce', 2],
      ['2026-01-10T10:01:10.000Z', 'c@yahoo.com', 'hard-bounce', 2],
      ['2026-01-10T10:11:00.000Z', 'a@gmail.com', 'remote-bounce', 2],
      ['2026-01-10T10:40:00.000Z', 'Pat@Example.org', 'complaint', 1],
      ['2026-01-10T10:45:00.000Z', 'z@example.com', 'hard-bounce', 1],
    ]);
    expect(suppressions[3]).toMatchObject({
      feedbackType: 'abuse',
      bounceCategory: null,
      rcptDomain: 'example.org',
    });
    // A window that starts after a recipient's first event does not list it again.
    const late = await getSuppressions({ since: new Date('2026-01-10T10:20:00Z'), limit: 100 });
    expect(late.suppressions.map((s) => s.rcpt)).toEqual(['Pat@Example.org', 'z@example.com']);
    const window = await getSuppressions({
      since: new Date('2026-01-10T10:00:00Z'),
      until: new Date('2026-01-10T10:40:00Z'),
      limit: 100,
    });
    expect(window.suppressions.map((s) => s.rcpt)).toEqual(['c@yahoo.com', 'a@gmail.com']);
    expect(await getSuppressionCounts({ since: SINCE })).toEqual({
      'hard-bounce': 3,
      'remote-bounce': 1,
      complaint: 1,
    });
  });

  it('pages with the keyset cursor without gaps or repeats', async () => {
    const whole = await walk(100);
    expect(whole.pages).toBe(1);
    for (const limit of [1, 2, 3]) {
      const paged = await walk(limit);
      expect(paged.all).toEqual(whole.all);
      expect(paged.pages).toBe(Math.ceil(whole.all.length / limit));
      expect(paged.last).toBe(whole.last);
    }
  });

  it('gives a polling sender only the entries that appeared after its cursor', async () => {
    const first = await getSuppressions({ since: SINCE, limit: 100 });
    const cursor = first.nextCursor ?? '';
    expect(cursor).not.toBe('');
    // Nothing new yet: an empty page that hands the same cursor back.
    expect(await getSuppressions({ since: SINCE, cursor, limit: 100 })).toMatchObject({
      suppressions: [],
      nextCursor: cursor,
      hasMore: false,
    });
    await addFile('acct-extra-2026-01-10-0001.csv', [
      'b,2026-01-10 11:00:00+0000,new@example.com,bad-mailbox,5.1.1 (unknown),smtp;550 unknown,vmta1,',
      // Already suppressed: counted, not listed.
      'f,2026-01-10 11:01:00+0000,A@gmail.com,,,,,abuse',
      // Late-arriving old record: its time is before the cursor, so a cursor poll skips it (README).
      'b,2026-01-10 08:00:00+0000,old@example.com,bad-mailbox,5.1.1 (unknown),smtp;550 unknown,vmta1,',
    ]);
    const next = await getSuppressions({ since: SINCE, cursor, limit: 100 });
    expect(next.suppressions.map(brief)).toEqual([
      ['2026-01-10T11:00:00.000Z', 'new@example.com', 'hard-bounce', 1],
    ]);
    expect(next.hasMore).toBe(false);
    // A poll from `since` again finds the late one.
    const again = await getSuppressions({ since: SINCE, limit: 100 });
    expect(again.suppressions.map((s) => s.rcpt)).toEqual([
      'old@example.com',
      'Q@example.NET',
      'c@yahoo.com',
      'a@gmail.com',
      'Pat@Example.org',
      'z@example.com',
      'new@example.com',
    ]);
    expect(again.suppressions.find((s) => s.rcpt === 'a@gmail.com')?.eventCount).toBe(3);
  });

  it('answers JSON over HTTP, `since` defaulting to 30 days ago', async () => {
    const res = await call('since=2026-01-10&limit=2');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const body = await res.json();
    expect(Object.keys(body)).toEqual(['since', 'suppressions', 'nextCursor', 'hasMore']);
    expect(body.suppressions.map((s: Suppression) => s.rcpt)).toEqual(['old@example.com', 'Q@example.NET']);
    expect(body.hasMore).toBe(true);
    const more = await (await call(`cursor=${body.nextCursor}&limit=1`)).json();
    expect(more.suppressions.map((s: Suppression) => s.rcpt)).toEqual(['c@yahoo.com']);
    expect(more.since).toBe('2026-01-10T09:00:00.000Z');
    const recent = await (await call('')).json();
    expect(Math.abs(Date.parse(recent.since) - (Date.now() - 30 * 86_400_000))).toBeLessThan(60_000);
    expect(recent).toMatchObject({ suppressions: [], nextCursor: null, hasMore: false });
  });

  it('answers CSV with a header row, RFC 4180 quoting and the next page in headers', async () => {
    const res = await call('since=2026-01-10&format=csv&limit=6');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename=suppressions.csv');
    const text = await res.text();
    const lines = text.split('\r\n');
    expect(lines[0]).toBe(
      'rcpt,rcptDomain,reason,time,bounceCategory,dsnStatus,dsnDiag,feedbackType,vmta,jobId,source,eventCount,recordId,filePath',
    );
    expect(text).toContain(
      ',hard-bounce,2026-01-10T10:01:10.000Z,bad-mailbox,5.1.1 (bad destination mailbox address),"smtp;554 5.1.1 <c@yahoo.com>: recipient invalid, sorry",,vmta2,job-2,test-host,2,',
    );
    expect(text).toContain('"smtp;550 5.1.1 ""z"" unknown, see\nhttps://example.com/help"');
    const json = await (await call('since=2026-01-10&limit=6')).json();
    const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.data).toHaveLength(6);
    expect(parsed.data.map((r) => [r.rcpt, r.dsnDiag, r.recordId, Number(r.eventCount)])).toEqual(
      json.suppressions.map((s: Suppression) => [s.rcpt, s.dsnDiag ?? '', s.recordId, s.eventCount]),
    );
    expect(res.headers.get('x-next-cursor')).toBe(json.nextCursor);
    expect(res.headers.get('x-has-more')).toBe('true');
    const link = res.headers.get('link') ?? '';
    const next = new URL(/^<([^>]+)>; rel="next"$/.exec(link)?.[1] ?? '', 'http://localhost');
    expect(next.pathname).toBe('/api/v1/suppressions');
    expect(next.searchParams.get('cursor')).toBe(json.nextCursor);
    const rest = await call(next.search.slice(1));
    const restRows = Papa.parse<Record<string, string>>(await rest.text(), {
      header: true,
      skipEmptyLines: true,
    });
    expect(restRows.data.map((r) => r.rcpt)).toEqual(['new@example.com']);
    expect(rest.headers.get('x-has-more')).toBe('false');
  });

  it('answers CSV to an Accept: text/csv request, JSON when format=json says so', async () => {
    const csv = await call('since=2026-01-10', { accept: 'text/csv' });
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect((await csv.text()).split('\r\n').filter(Boolean)).toHaveLength(8);
    const json = await call('since=2026-01-10&format=json', { accept: 'text/csv' });
    expect(json.headers.get('content-type')).toMatch(/application\/json/);
  });

  it('writes text a spreadsheet would run as a formula with a leading quote mark, plain addresses as logged', async () => {
    // A remote server's reply and an FBL report's recipient are text from outside: a formula in
    // either must not run when the CSV is opened in a spreadsheet.
    await addFile('acct-extra-2026-01-10-0002.csv', [
      'b,2026-01-10 12:00:00+0000,-news@example.com,bad-mailbox,5.1.1 (unknown),"=HYPERLINK(""http://evil.example/"",""help"")",vmta1,',
      'f,2026-01-10 12:01:00+0000,"=HYPERLINK(""http://evil.example/"")@example.com",,,,,abuse',
    ]);
    const query = 'since=2026-01-10T11:30:00Z';
    const json = await (await call(query)).json();
    expect(json.suppressions.map((s: Suppression) => [s.rcpt, s.dsnDiag])).toEqual([
      ['-news@example.com', '=HYPERLINK("http://evil.example/","help")'],
      ['=HYPERLINK("http://evil.example/")@example.com', null],
    ]);
    const csv = await (await call(`${query}&format=csv`)).text();
    const rows = Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true });
    expect(rows.errors).toEqual([]);
    expect(rows.data.map((r) => [r.rcpt, r.dsnDiag, r.feedbackType])).toEqual([
      ['-news@example.com', `'=HYPERLINK("http://evil.example/","help")`, ''],
      [`'=HYPERLINK("http://evil.example/")@example.com`, '', 'abuse'],
    ]);
  });

  it('rejects bad parameters with 400 naming them, in JSON even for CSV', async () => {
    for (const [query, param] of [
      ['since=yesterday', 'since'],
      ['since=2026-01-10&until=2026-01-09', 'until'],
      ['limit=0', 'limit'],
      ['limit=10001', 'limit'],
      ['limit=ten', 'limit'],
      ['cursor=not-a-cursor', 'cursor'],
      ['format=xml', 'format'],
      ['format=csv&limit=0', 'limit'],
      ['format=csv&cursor=eyJ4IjoxfQ', 'cursor'],
      ['since=2026-01-10&since=2026-01-11', 'since'],
    ]) {
      const res = await call(query);
      expect(res.status, query).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/application\/json/);
      expect((await res.json()).error.param, query).toBe(param);
    }
  });

  it('lists a mailbox once whatever its spelling: the domain in punycode or Unicode, the local part in any case', async () => {
    const since = new Date('2026-01-11T00:00:00Z');
    await addFile('acct-extra-2026-01-11-0000.csv', [
      // One mailbox spelt two ways (QA: two entries, Events 1 each): the later bounce comes first
      // in the file, the first event is the earlier one.
      'b,2026-01-11 09:30:00+0000,HANS@bücher.de,bad-mailbox,5.1.1 (unknown),smtp;550 no such user,vmta2,',
      'b,2026-01-11 09:00:00+0000,hans@xn--bcher-kva.de,bad-mailbox,5.1.1 (unknown),smtp;550 unknown,vmta1,',
      // A soft bounce of the same mailbox between them: a record of it, not a suppression event.
      'b,2026-01-11 09:15:00+0000,Hans@Bücher.de,quota-issues,4.2.2 (full),smtp;452 full,vmta1,',
      // Another mailbox: the same local part at another domain.
      'b,2026-01-11 09:05:00+0000,hans@bucher.de,bad-domain,5.1.2 (bad domain),smtp;550 5.1.2 no domain,vmta1,',
      // A mixed-case local part with a plain ASCII domain.
      'f,2026-01-11 09:10:00+0000,Mary.Smith@Example.com,,,,,abuse',
      'b,2026-01-11 09:20:00+0000,mary.smith@EXAMPLE.com,inactive-mailbox,5.1.1 (disabled),smtp;550 disabled,vmta1,',
    ]);
    const { suppressions } = await getSuppressions({ since, limit: 100 });
    expect(suppressions.map(brief)).toEqual([
      ['2026-01-11T09:00:00.000Z', 'hans@xn--bcher-kva.de', 'hard-bounce', 2],
      ['2026-01-11T09:05:00.000Z', 'hans@bucher.de', 'hard-bounce', 1],
      ['2026-01-11T09:10:00.000Z', 'Mary.Smith@Example.com', 'complaint', 2],
    ]);
    expect(suppressions[0]).toMatchObject({
      rcptDomain: 'bücher.de',
      dsnDiag: 'smtp;550 unknown',
      vmta: 'vmta1',
    });
    expect(await getSuppressionCounts({ since })).toEqual({
      'hard-bounce': 2,
      'remote-bounce': 0,
      complaint: 1,
    });
    // One page at a time, the keyset (time, mailbox) neither repeats nor skips an entry.
    const first = await getSuppressions({ since, limit: 1 });
    const rest = await getSuppressions({ since, cursor: first.nextCursor ?? undefined, limit: 100 });
    expect([...first.suppressions, ...rest.suppressions]).toEqual(suppressions);
    // Each entry's link opens its events, every spelling, as many as its Events, the first last.
    for (const s of suppressions) {
      const link = linkParams(entryRecordsHref(s, 'UTC', NOW));
      const { body } = await apiGet(`/api/v1/records?${link}`);
      expect(body.records.length, s.rcpt).toBe(s.eventCount);
      expect(body.records.at(-1).id, s.rcpt).toBe(s.recordId);
      expect(await countRecords(parseRecordQuery(link, 100)), s.rcpt).toBe(s.eventCount);
    }
  });

  it('opens as many records in the explorer as each count of the screen: Events and by reason', async () => {
    const { suppressions } = await getSuppressions({ since: SINCE, limit: 100 });
    expect(suppressions.filter((s) => s.eventCount > 1).length).toBeGreaterThan(3);
    for (const s of suppressions) {
      const link = linkParams(entryRecordsHref(s, 'UTC', NOW));
      expect(link.get('suppression')).toBe('events');
      expect(await countRecords(parseRecordQuery(link, 100)), s.rcpt).toBe(s.eventCount);
    }
    // Without the suppression filter the recipient's other records count too (a@gmail.com's
    // delivery, before its rb): the filter is what makes the link exact.
    const a = suppressions.find((s) => s.rcpt === 'a@gmail.com') as Suppression;
    const everything = linkParams(entryRecordsHref(a, 'UTC', NOW));
    everything.delete('suppression');
    everything.set('from', '2026-01-10T00:00:00Z');
    expect(await countRecords(parseRecordQuery(everything, 100))).toBe(a.eventCount + 1);
    const counts = await getSuppressionCounts({ since: SINCE });
    const total = Object.values(counts).reduce((a, n) => a + n, 0);
    expect(total).toBe(suppressions.length);
    for (const reason of [null, ...SUPPRESSION_REASONS]) {
      const link = linkParams(reasonRecordsHref({ since: SINCE }, reason, 'UTC', NOW));
      const n = await countRecords(parseRecordQuery(link, 100));
      expect(n, String(reason)).toBe(reason ? counts[reason] : total);
    }
    // A window longer than the explorer's ranges has no link rather than one to fewer records.
    expect(reasonRecordsHref({ since: new Date('2024-01-01T00:00:00Z') }, null, 'UTC', NOW)).toBeNull();
  });

  it('reads the mailbox indexes: the keyset, the earlier-event test and the event counts are index conditions', async () => {
    // A populated day (rolled back): deliveries, and hard bounces of a few thousand mailboxes.
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      await client.query('BEGIN');
      await client.query(`
        INSERT INTO acct_record (time_logged, file_id, byte_offset, source, type, rcpt, rcpt_domain, provider, bounce_cat)
        SELECT '2026-01-10 00:00:00+00'::timestamptz + i * interval '1 second', (SELECT min(id) FROM acct_file),
               1e12 + i, 'plan', CASE WHEN i % 20 = 0 THEN 'b' ELSE 'd' END,
               'user' || (i % 5000) || '@example' || (i % 7) || '.com', 'example' || (i % 7) || '.com', 'Other',
               CASE WHEN i % 20 = 0 THEN 'bad-mailbox' END
          FROM generate_series(1, 60000) i`);
      await client.query('ANALYZE acct_record');
      const indexes = async (parent: string) =>
        (
          await client.query<{ relname: string }>(
            `SELECT c.relname FROM pg_partition_tree($1::regclass) t JOIN pg_class c ON c.oid = t.relid`,
            [parent],
          )
        ).rows.map((r) => r.relname);
      const timeIndexes = await indexes('acct_record_suppression_time_idx');
      const keyIndexes = await indexes('acct_record_suppression_key_idx');
      const plan = async (sql: { sql: string; values: unknown[] }) => {
        let n = 0; // Prisma.Sql's text holds each bind parameter as '?'
        const text = sql.sql.replace(/\?/g, () => `$${++n}`);
        const rows = (await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${text}`, sql.values)).rows;
        return rows.map((r) => r['QUERY PLAN']).join('\n');
      };
      // 'Index Scan using <index> on …', 'Bitmap Index Scan on <index>  (…'
      const uses = (text: string, names: string[]) => names.some((n) => text.includes(` ${n} `));
      const categories = ['bad-mailbox'];
      const page = await plan(
        suppressionPageSql({ t: SINCE, k: 'user1@example1.com' }, { limit: 200 }, categories),
      );
      expect(uses(page, timeIndexes), page).toBe(true);
      expect(uses(page, keyIndexes), page).toBe(true);
      const counts = await plan(eventCountSql(['user1@example1.com', 'user2@example2.com'], categories));
      expect(uses(counts, keyIndexes), counts).toBe(true);
    } finally {
      await client.query('ROLLBACK');
      await client.end();
    }
  });
});
