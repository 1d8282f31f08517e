import { cpSync, existsSync, mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as breakdownRoute } from '../../app/api/v1/stats/breakdown/route.ts';
import { createTestDatabase, type TestDatabase } from '../db.ts';
import { apiGet, ingestOnce } from '../helpers.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../../e2e/fixtures');
const HOUR = 'from=2026-01-10T10:00:00Z&to=2026-01-10T11:00:00Z';

let db: TestDatabase;
let dir: string;

beforeAll(async () => {
  db = await createTestDatabase();
  process.env.DATABASE_URL = db.url;
  dir = mkdtempSync(path.join(os.tmpdir(), 'acct-quirks-'));
  // The FBL file first, alone: complaints must still reach their VirtualMTA once the
  // delivery files that reveal the IP → VirtualMTA map arrive later.
  cpSync(path.join(FIXTURES, 'acct-fbl-2026-01-10-0000.csv'), path.join(dir, 'acct-fbl-2026-01-10-0000.csv'));
  await ingestOnce(db.url, [dir]);
  // Only the files not there yet: cpSync over an existing file unlinks it and creates a new one,
  // which the worker rightly counts as a new file when the new inode's number differs (a
  // replacement under the same name); the freed number is usually reused at once, but not when
  // another process takes it first (this made the test flaky under parallel load).
  for (const f of readdirSync(FIXTURES)) {
    if (!existsSync(path.join(dir, f))) cpSync(path.join(FIXTURES, f), path.join(dir, f));
  }
  await ingestOnce(db.url, [dir]);
});

afterAll(async () => {
  await db?.drop();
});

describe('stats API over the quirks fixture', () => {
  it('counts every record type exactly', async () => {
    const { status, body } = await apiGet(`/api/v1/stats/summary?${HOUR}`);
    expect(status).toBe(200);
    expect(body.counts).toEqual({
      delivered: 7,
      bounced: 3,
      deferred: 1,
      queueDeferred: 1,
      complaints: 2,
      received: 1,
      remoteBounced: 1,
      remoteStatus: 1,
    });
    expect(body.rates.delivery).toBeCloseTo(7 / 10, 12);
    expect(body.rates.bounce).toBeCloseTo(3 / 10, 12);
    expect(body.rates.complaint).toBeCloseTo(2 / 7, 12);
    expect(body.from).toBe('2026-01-10T10:00:00.000Z');
  });

  it('records the malformed rows as rejects with file, offset, text and reason', async () => {
    const { body } = await apiGet('/api/v1/ingest/status');
    expect(body.rejectCount).toBe(2);
    const reasons = body.latestRejects.map((r: { text: string; reason: string }) => [
      r.text.slice(0, 12),
      r.reason,
    ]);
    expect(reasons).toEqual(
      expect.arrayContaining([
        ['x,2026-01-10', expect.stringMatching(/unknown record type/i)],
        ['d,notatime,h', expect.stringMatching(/timeLogged/i)],
      ]),
    );
    for (const r of body.latestRejects) expect(r.path).toMatch(/acct-2026-01-10-0000\.csv$/);
    const main = body.files.find((f: { path: string }) => f.path.endsWith('acct-2026-01-10-0000.csv'));
    expect(main.records).toBe(9); // 6 d + 2 b + 1 t
    expect(main.rejects).toBe(2);
    expect(main.lagBytes).toBe(0);
    expect(main.offset).toBe(main.size);
  });

  it('breaks down by provider with lower-case, Unicode domains', async () => {
    const { body } = await apiGet(`/api/v1/stats/breakdown?by=provider&${HOUR}`);
    const byKey = Object.fromEntries(
      body.rows.map((r: { key: string; counts: object }) => [r.key, r.counts]),
    );
    expect(byKey.Google).toMatchObject({
      delivered: 3,
      complaints: 1,
      received: 1,
      remoteBounced: 1,
      remoteStatus: 1,
    });
    expect(byKey.Yahoo).toMatchObject({ bounced: 1, deferred: 1 });
    expect(byKey.Microsoft).toMatchObject({ delivered: 2, complaints: 1 });
    const domains = await apiGet(`/api/v1/stats/breakdown?by=domain&${HOUR}`);
    const d = Object.fromEntries(
      domains.body.rows.map((r: { key: string; counts: object }) => [r.key, r.counts]),
    );
    expect(d['gmail.com']).toMatchObject({ delivered: 3 });
    expect(d['bücher.de']).toMatchObject({ delivered: 1, bounced: 1, queueDeferred: 1 });
    expect(d['domain.com']).toMatchObject({ delivered: 1, bounced: 1 });
    expect(Object.keys(d)).not.toContain('GMail.com');
  });

  it('exports a breakdown as CSV: every row, the same counts and rates as the JSON', async () => {
    const call = (query: string, headers: Record<string, string> = {}) =>
      breakdownRoute(
        new NextRequest(new URL(`/api/v1/stats/breakdown?${query}`, 'http://localhost'), { headers }),
      );
    const json = (await apiGet(`/api/v1/stats/breakdown?by=domain&${HOUR}&limit=1000`)).body;
    const res = await call(`by=domain&${HOUR}&format=csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    // The window in the name: a day's export does not overwrite the day before's.
    expect(res.headers.get('content-disposition')).toBe(
      'attachment; filename=breakdown-domain-20260110T1000Z-20260110T1100Z.csv',
    );
    const lines = (await res.text()).split('\r\n');
    expect(lines.pop()).toBe(''); // the last row ends with CRLF too
    expect(lines[0]).toBe(
      'domain,delivered,bounced,deferred,queueDeferred,complaints,received,remoteBounced,remoteStatus,' +
        'deliveryRate,bounceRate,complaintRate,from,to',
    );
    // Every row (the JSON's default limit is 50), in the JSON's order.
    expect(lines.length - 1).toBe(json.totalRows);
    const rate = (r: number | null) => (r === null ? '' : String(r));
    json.rows.forEach(
      (
        r: { key: string; counts: Record<string, number>; rates: Record<string, number | null> },
        i: number,
      ) => {
        const c = r.counts;
        expect(lines[i + 1]).toBe(
          [
            r.key,
            c.delivered,
            c.bounced,
            c.deferred,
            c.queueDeferred,
            c.complaints,
            c.received,
            c.remoteBounced,
            c.remoteStatus,
            rate(r.rates.delivery),
            rate(r.rates.bounce),
            rate(r.rates.complaint),
            '2026-01-10T10:00:00.000Z',
            '2026-01-10T11:00:00.000Z',
          ].join(','),
        );
      },
    );
    expect(lines.some((l) => l.startsWith('bücher.de,1,1,0,1,'))).toBe(true);
    // Accept: text/csv asks for it too; format=json wins; a bad format or filter is a JSON 400.
    expect((await call(`by=domain&${HOUR}`, { accept: 'text/csv' })).headers.get('content-type')).toBe(
      'text/csv; charset=utf-8',
    );
    const asJson = await call(`by=domain&${HOUR}&format=json`, { accept: 'text/csv' });
    expect((await asJson.json()).rows).toEqual(json.rows.slice(0, 50));
    // As a breakdown screen shows them: its search, sort and direction, in CSV and JSON alike.
    const viewed = await call(`by=domain&${HOUR}&format=csv&search=.DE&sort=key&dir=desc`);
    const keys = (await viewed.text())
      .trimEnd()
      .split('\r\n')
      .slice(1)
      .map((l) => l.split(',')[0]);
    expect(keys).toEqual(
      json.rows
        .map((r: { key: string }) => r.key)
        .filter((k: string) => k.includes('.de'))
        .sort()
        .reverse(),
    );
    expect(keys).toContain('bücher.de');
    const page = (await apiGet(`/api/v1/stats/breakdown?by=domain&${HOUR}&search=.de&sort=bounced&limit=1`))
      .body;
    expect(page.totalRows).toBe(keys.length);
    expect(page.rows).toHaveLength(1);
    for (const [query, param] of [
      [`by=domain&${HOUR}&sort=size`, 'sort'],
      [`by=domain&${HOUR}&format=xml`, 'format'],
      [`by=nope&${HOUR}&format=csv`, 'by'],
      [`by=domain&from=nope&format=csv`, 'from'],
    ]) {
      const bad = await call(query);
      expect(bad.status).toBe(400);
      expect((await bad.json()).error.param).toBe(param);
    }
  });

  it('attributes complaints to VirtualMTAs and pools through the sending IP', async () => {
    const { body } = await apiGet(`/api/v1/stats/breakdown?by=vmta&${HOUR}`);
    const v = Object.fromEntries(body.rows.map((r: { key: string; counts: object }) => [r.key, r.counts]));
    expect(v.vmta1).toMatchObject({ delivered: 4, complaints: 1 });
    expect(v.vmta2).toMatchObject({ delivered: 1, bounced: 2, deferred: 1, complaints: 1 });
    const pools = await apiGet(`/api/v1/stats/breakdown?by=pool&${HOUR}`);
    const p = Object.fromEntries(
      pools.body.rows.map((r: { key: string; counts: object }) => [r.key, r.counts]),
    );
    expect(p['pool-b']).toMatchObject({ complaints: 1, bounced: 2 });
    const filtered = await apiGet(`/api/v1/stats/summary?${HOUR}&vmta=vmta1`);
    expect(filtered.body.counts).toMatchObject({ delivered: 4, complaints: 1, bounced: 0 });
    expect(filtered.body.rates.complaint).toBeCloseTo(1 / 4, 12);
  });

  it('filters by provider, job, bounce category and source', async () => {
    const ms = await apiGet(`/api/v1/stats/summary?${HOUR}&provider=Microsoft`);
    expect(ms.body.counts).toMatchObject({ delivered: 2, complaints: 1, bounced: 0 });
    const job = await apiGet(`/api/v1/stats/summary?${HOUR}&job=job-2`);
    // The JMRP complaint reaches job-2 through the reported message's X-Job header.
    expect(job.body.counts).toMatchObject({ delivered: 1, bounced: 2, deferred: 1, complaints: 1 });
    const job1 = await apiGet(`/api/v1/stats/summary?${HOUR}&job=job-1`);
    expect(job1.body.counts).toMatchObject({ delivered: 4, complaints: 1 });
    const cat = await apiGet(
      `/api/v1/stats/summary?${HOUR}&bounceCategory=bad-mailbox&bounceCategory=quota-issues`,
    );
    expect(cat.body.counts).toMatchObject({ bounced: 2, remoteBounced: 1, delivered: 0 });
    const src = await apiGet(`/api/v1/stats/summary?${HOUR}&source=elsewhere`);
    expect(src.body.counts.delivered).toBe(0);
  });

  it('is exact for ranges that do not fall on minute boundaries', async () => {
    const { body } = await apiGet(
      '/api/v1/stats/summary?from=2026-01-10T10:00:20Z&to=2026-01-10T10:06:00.001Z',
    );
    // 10:00:05 is before the range; 10:00:30, 10:03, 10:04, 10:06 and the epoch-time 10:01 row are inside.
    expect(body.counts.delivered).toBe(5);
    expect(body.counts.bounced).toBe(2);
  });

  it('returns a gap-filled minute series in the requested zone', async () => {
    const { body } = await apiGet(
      '/api/v1/stats/timeseries?from=2026-01-10T10:00:00Z&to=2026-01-10T10:10:00Z&bucket=minute&tz=Europe/Paris',
    );
    expect(body.points).toHaveLength(10);
    expect(body.points.map((p: { counts: { delivered: number } }) => p.counts.delivered)).toEqual([
      2, 1, 0, 1, 1, 0, 1, 1, 0, 0,
    ]);
    const day = await apiGet(
      '/api/v1/stats/timeseries?from=2026-01-09T00:00:00Z&to=2026-01-12T00:00:00Z&bucket=day',
    );
    expect(day.body.points.map((p: { counts: { delivered: number } }) => p.counts.delivered)).toEqual([
      0, 7, 0,
    ]);
  });

  it('answers bad parameters with 400 naming the parameter', async () => {
    for (const [q, param] of [
      ['from=yesterday', 'from'],
      ['from=2026-01-10T11:00:00Z&to=2026-01-10T10:00:00Z', 'from'],
      ['bucket=week', 'bucket'],
      ['tz=Mars/Olympus', 'tz'],
    ] as const) {
      const { status, body } = await apiGet(`/api/v1/stats/timeseries?${q}`);
      expect(status).toBe(400);
      expect(body.error.param).toBe(param);
    }
    const bd = await apiGet('/api/v1/stats/breakdown?by=color');
    expect(bd.status).toBe(400);
    expect(bd.body.error.param).toBe('by');
    const lim = await apiGet('/api/v1/stats/breakdown?by=domain&limit=0');
    expect(lim.status).toBe(400);
  });

  it('answers every endpoint 400, never 500, for values PostgreSQL cannot take (found by a QA helper)', async () => {
    const endpoints = [
      '/api/v1/stats/summary',
      '/api/v1/stats/timeseries',
      '/api/v1/stats/breakdown?by=vmta&',
      '/api/v1/records',
      '/api/v1/bounces',
      '/api/v1/reasons',
      '/api/v1/latency',
      '/api/v1/dsn-codes',
    ].map((e) => (e.includes('?') ? e : `${e}?`));
    const cursor = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const cases: [string, string, string][] = [];
    for (const e of endpoints) {
      cases.push([`${e}${HOUR}&domain=a%00b`, 'domain', 'NUL']);
      cases.push([`${e}${HOUR}&job=%00`, 'job', 'NUL']);
      cases.push([`${e}${HOUR}&vmta=%FF%FE`, 'vmta', 'not valid UTF-8']);
      cases.push([`${e}${HOUR}&vmtas=vmta1`, 'vmtas', 'unknown parameter']);
      cases.push([`${e}from=2026-11-31T10:00:00Z&to=2026-12-01T12:00:00Z`, 'from', 'that exist']);
      cases.push([`${e}${HOUR}&tz=BST`, 'tz', 'IANA']);
    }
    for (const q of ['rcpt=a%00', 'q=a%00', 'diag=a%00', 'queue=%00'])
      cases.push([`/api/v1/records?${HOUR}&${q}`, q.split('=')[0], 'NUL']);
    for (const c of [
      ['-271821-04-20T00:00:00.000Z', 1, '5'],
      ['2026-01-10T10:30:00.000Z', 99_999_999_999, '5'],
      ['2026-01-10T10:30:00.000Z', 1, '99999999999999999999999'],
      ['1', 1, '5'],
      ['2026-01-10T10:30:00.000Z', -1, '5'],
    ]) {
      cases.push([`/api/v1/records?${HOUR}&cursor=${cursor(c)}`, 'cursor', 'not one this API returned']);
    }
    cases.push([`/api/v1/incidents?since=2026-02-30`, 'since', 'exist']);
    // Years PostgreSQL refuses or Date.UTC misreads (0–99): a 500 before (found by a QA helper).
    cases.push([`/api/v1/stats/summary?from=0001-01-01&to=2026-01-02`, 'from', '1970 or later']);
    cases.push([`/api/v1/incidents?since=0000-01-01`, 'since', '1970 or later']);
    cases.push([
      `/api/v1/records?${HOUR}&cursor=${cursor(['0000-01-01T00:00:00.000Z', 1, '5'])}`,
      'cursor',
      'not one',
    ]);
    // Next.js hands a handler bytes that were not UTF-8 as U+FFFD (its URL is decoded and encoded
    // again before the route sees it).
    cases.push([`/api/v1/stats/summary?${HOUR}&provider=%EF%BF%BD`, 'provider', 'not valid UTF-8']);
    cases.push([`/api/v1/ingest/status?verbose=1`, 'verbose', 'unknown parameter']);
    expect((await apiGet('/api/v1/stats/summary?from=1970-01-01&to=1970-01-02')).status).toBe(200);
    expect((await apiGet(`/api/v1/records?${HOUR}&q=%EF%BF%BD`)).status).toBe(200); // text may hold one
    for (const [url, param, text] of cases) {
      const { status, body } = await apiGet(url);
      expect({ url, status, param: body.error?.param }).toEqual({ url, status: 400, param });
      expect(body.error.message).toContain(text);
    }
  });

  it('takes tz on every endpoint, checked as on the stats ones (the incidents, suppressions and ingest status answered 400)', async () => {
    for (const url of [
      '/api/v1/incidents?since=2026-01-01T00:00:00Z',
      '/api/v1/suppressions?since=2026-01-01T00:00:00Z',
      '/api/v1/ingest/status?',
    ]) {
      const plain = await apiGet(url);
      const zoned = await apiGet(`${url}&tz=Europe/Paris`);
      expect({ url, status: zoned.status }).toEqual({ url, status: 200 });
      // Nothing these answer depends on a zone (their times are instants; the ingest status's
      // lags move with the clock).
      if (!url.includes('ingest')) expect(zoned.body, url).toEqual(plain.body);
      const bad = await apiGet(`${url}&tz=BST`);
      expect({ url, status: bad.status, param: bad.body.error?.param }).toEqual({
        url,
        status: 400,
        param: 'tz',
      });
      expect(bad.body.error.message).toContain('IANA');
    }
  });

  it('reads a zone PostgreSQL does not know by its canonical name, and a punycode domain as Unicode', async () => {
    const series = (tz: string) =>
      apiGet(
        `/api/v1/stats/timeseries?from=2026-01-09T08:00:00Z&to=2026-01-12T08:00:00Z&bucket=day&tz=${tz}`,
      );
    const alias = await series('US/Pacific-New');
    expect(alias.status).toBe(200);
    expect(alias.body.tz).toBe('US/Pacific-New');
    const canonical = await series('America/Los_Angeles');
    expect(alias.body.points).toEqual(canonical.body.points);
    expect(alias.body.points.map((p: { t: string }) => p.t)[0]).toBe('2026-01-09T08:00:00.000Z');
    const unicode = await apiGet(`/api/v1/stats/summary?${HOUR}&domain=${encodeURIComponent('bücher.de')}`);
    expect(unicode.body.counts).toMatchObject({ delivered: 1, bounced: 1, queueDeferred: 1 });
    for (const spelling of ['xn--bcher-kva.de', 'XN--BCHER-KVA.DE', 'bu%CC%88cher.de']) {
      const { body } = await apiGet(`/api/v1/stats/summary?${HOUR}&domain=${spelling}`);
      expect(body.counts).toEqual(unicode.body.counts);
    }
    const records = await apiGet(`/api/v1/records?${HOUR}&rcpt=xn--bcher-kva.de`);
    expect(records.body.records.map((r: { type: string }) => r.type).sort()).toEqual(['b', 'd', 'tq']);
  });

  it('adds nothing when the same folder is ingested again', async () => {
    await ingestOnce(db.url, [dir]);
    const { body } = await apiGet(`/api/v1/stats/summary?${HOUR}`);
    expect(body.counts.delivered).toBe(7);
    const [{ n }] = await db.query<{ n: string }>('SELECT count(*) AS n FROM acct_record');
    expect(Number(n)).toBe(17);
    const [{ s }] = await db.query<{ s: string }>('SELECT sum(n) AS s FROM rollup_minute');
    expect(Number(s)).toBe(17);
  });

  it('lists exactly the records behind a count, through every filter the stats take', async () => {
    const total = async (query: string) => {
      let cursor: string | null = null;
      const ids: string[] = [];
      do {
        const { status, body } = await apiGet(
          `/api/v1/records?${HOUR}&${query}&limit=4${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(status).toBe(200);
        ids.push(...body.records.map((r: { id: string }) => r.id));
        cursor = body.nextCursor;
      } while (cursor);
      expect(new Set(ids).size).toBe(ids.length); // pages never repeat a record
      return ids.length;
    };
    const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
    for (const query of [
      '',
      'provider=Microsoft',
      'vmta=vmta1',
      'pool=pool-b',
      'domain=bücher.de',
      'job=job-2',
    ]) {
      const summary = await apiGet(`/api/v1/stats/summary?${HOUR}&${query}`);
      expect({ query, n: await total(query) }).toEqual({ query, n: sum(summary.body.counts) });
    }
    expect(await total('')).toBe(17);
  });

  it('pages newest first and finds records by type, recipient and diagnostic text', async () => {
    const all = await apiGet(`/api/v1/records?${HOUR}&limit=500`);
    const times = all.body.records.map((r: { timeLogged: string }) => r.timeLogged);
    expect(times).toEqual([...times].sort().reverse());
    const complaints = await apiGet(`/api/v1/records?${HOUR}&type=f`);
    expect(complaints.body.records).toHaveLength(2);
    const byRcpt = await apiGet(`/api/v1/records?${HOUR}&rcpt=da@YAHOO.fr`);
    expect(byRcpt.body.records.map((r: { type: string }) => r.type)).toEqual(['t']);
    // An address finds its records however its domain is spelt: k@xn--bcher-kva.de as logged (QA).
    for (const address of ['k@bücher.de', 'K@XN--BCHER-KVA.DE', 'k@xn--bcher-kva.de']) {
      const { body } = await apiGet(`/api/v1/records?${HOUR}&rcpt=${encodeURIComponent(address)}`);
      expect(body.records.map((r: { rcpt: string }) => r.rcpt)).toEqual(['k@xn--bcher-kva.de']);
    }
    expect((await apiGet(`/api/v1/records?${HOUR}&rcpt=kk@bücher.de`)).body.records).toEqual([]);
    const byDomain = await apiGet(`/api/v1/records?${HOUR}&rcpt=bücher.de`);
    expect(byDomain.body.records.map((r: { type: string }) => r.type).sort()).toEqual(['b', 'd', 'tq']);
    // A domain written with its "@" (as one types it after a local part) is the same domain.
    const byAtDomain = await apiGet(`/api/v1/records?${HOUR}&rcpt=${encodeURIComponent('@bücher.de')}`);
    expect(byAtDomain.body.records.map((r: { type: string }) => r.type).sort()).toEqual(['b', 'd', 'tq']);
    const byText = await apiGet(`/api/v1/records?${HOUR}&q=recipient invalid`);
    expect(byText.body.records).toHaveLength(1);
    const [rec] = byText.body.records;
    expect(rec).toMatchObject({ type: 'b', rcpt: 'c@yahoo.com', bounceCat: 'bad-mailbox', vmta: 'vmta2' });
    expect(rec.file.path).toMatch(/acct-2026-01-10-0000\.csv$/);
    const custom = await apiGet(`/api/v1/records?${HOUR}&rcpt=f@hotmail.com`);
    expect(custom.body.records[0].extra).toEqual({ 'header_X-Custom': 'custom value' });
    expect((await apiGet(`/api/v1/records?cursor=nope`)).status).toBe(400);
    expect((await apiGet(`/api/v1/records?type=x`)).body.error.param).toBe('type');
  });

  it('reports health', async () => {
    const { status, body } = await apiGet('/api/health');
    expect(status).toBe(200);
    expect(body.database).toBe('up');
  });
});

describe('complaint incident evidence', () => {
  it('names the sending IPs and jobs the slice complaints come from', async () => {
    const { findComplaintEvidence } = await import('../../lib/incidents/evidence.ts');
    const from = new Date('2026-01-10T10:00:00Z');
    const to = new Date('2026-01-10T11:00:00Z');
    // a@gmail.com's complaint: sent from 203.0.113.1 (vmta1 of pool-a), X-Job job-1.
    expect(
      await findComplaintEvidence({ kind: 'pool', provider: 'Google', sender: 'pool-a' }, from, to),
    ).toEqual({
      kind: 'complaint',
      of: 1,
      sourceIps: [{ key: '203.0.113.1', n: 1 }],
      jobs: [{ key: 'job-1', n: 1 }],
    });
    // The JMRP report (no recipient: Microsoft by its reporting MTA) from 203.0.113.2 (vmta2).
    expect(
      await findComplaintEvidence({ kind: 'vmta', provider: 'Microsoft', sender: 'vmta2' }, from, to),
    ).toEqual({
      kind: 'complaint',
      of: 1,
      sourceIps: [{ key: '203.0.113.2', n: 1 }],
      jobs: [{ key: 'job-2', n: 1 }],
    });
    expect(
      await findComplaintEvidence({ kind: 'pool', provider: 'Yahoo', sender: 'pool-a' }, from, to),
    ).toBeNull();
  });
});
