import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../db.ts';
import { apiGet, folderWithLines, followWorker, ingestOnce, waitFor } from '../helpers.ts';

// Expected outcome of each line, written beside the bytes (never read back from them): the
// worker's results are compared with this, not with another parse of the file.
interface Want {
  env: string;
  type: string;
  rcpt: string | null;
  domain: string;
  vmta: string | null;
  at: string; // ISO UTC
  diag?: string | null;
  job?: string | null;
}

const wants: Want[] = [];
const rejects: { text: string; reason: RegExp }[] = [];
const parts: Buffer[] = [];
const put = (s: string | Buffer) => parts.push(typeof s === 'string' ? Buffer.from(s, 'utf8') : s);

const BOM = '\uFEFF';
const UNION =
  'type,timeLogged,timeQueued,orig,rcpt,dsnAction,dsnStatus,dsnDiag,bounceCat,dlvSourceIp,dlvEsmtpAvailable,vmta,jobId,envId,queue,vmtaPool,header_X-Job';

put(`${BOM}${UNION}\r\n`);
for (let i = 0; i < 40; i++) {
  const env = `a${i}`;
  put(
    `d,2026-05-01 10:${String(i).padStart(2, '0')}:05+0000,2026-05-01 10:00:00+0000,o@b.example,u${i}@Gmail.COM,relayed,2.0.0 (success),"smtp;250 ok, ""queued"" as ${i}",,203.0.113.1,"PIPELINING,8BITMIME",vmta1,job1,${env},gmail.com/vmta1,pool-a,\r\n`,
  );
  wants.push({
    env,
    type: 'd',
    rcpt: `u${i}@Gmail.COM`,
    domain: 'gmail.com',
    vmta: 'vmta1',
    at: `2026-05-01T10:${String(i).padStart(2, '0')}:05.000Z`,
    diag: `smtp;250 ok, "queued" as ${i}`,
    job: 'job1',
  });
}
// A deferral whose diagnostic spans lines (LF and CRLF inside the quotes).
put(
  `t,2026-05-01 11:00:00+02:00,,o@b.example,x@YAHOO.com.,delayed,4.7.0 (x),"smtp;421 4.7.0 [TSS04]\nsecond line\r\nthird, ""line""",policy-related,203.0.113.2,"A,B",vmta2,job2,t1,yahoo.rollup/vmta2,pool-b,\n`,
);
wants.push({
  env: 't1',
  type: 't',
  rcpt: 'x@YAHOO.com.',
  domain: 'yahoo.com',
  vmta: 'vmta2',
  at: '2026-05-01T09:00:00.000Z',
  diag: 'smtp;421 4.7.0 [TSS04]\nsecond line\r\nthird, "line"',
  job: 'job2',
});
// Short row: ends after bounceCat.
put('b,1777629600,,o@b.example,s@xn--bcher-kva.DE,failed,5.1.1 (bad),smtp;550 no such user,bad-mailbox\n');
wants.push({
  env: '',
  type: 'b',
  rcpt: 's@xn--bcher-kva.DE',
  domain: 'bücher.de',
  vmta: null,
  at: '2026-05-01T10:00:00.000Z',
  diag: 'smtp;550 no such user',
  job: null,
});
// A legacy-encoded reply (Latin-1 é, not UTF-8), and an empty line, and a CRLF blank line.
put(
  Buffer.concat([
    Buffer.from(
      'b,2026-05-01 10:30:00-0130,,o@b.example,l@orange.fr,failed,5.2.2 (full),smtp;552 Bo',
      'utf8',
    ),
    Buffer.from([0xee]),
    Buffer.from('te pleine,quota-issues,203.0.113.1,,vmta1,job1,l1,orange.fr/vmta1,pool-a,\n\n\r\n', 'utf8'),
  ]),
);
wants.push({
  env: 'l1',
  type: 'b',
  rcpt: 'l@orange.fr',
  domain: 'orange.fr',
  vmta: 'vmta1',
  at: '2026-05-01T12:00:00.000Z',
  diag: 'smtp;552 Boîte pleine',
  job: 'job1',
});
// Rejects: a NUL byte, an unknown type, a time without an offset, no time.
put('d,2026-05-01 10:31:00+0000,,o@b.example,n\0@gmail.com,,,,,,,vmta1,,n1,,,\n');
rejects.push({
  text: 'd,2026-05-01 10:31:00+0000,,o@b.example,n\0@gmail.com,,,,,,,vmta1,,n1,,,',
  reason: /NUL/,
});
put('zz,2026-05-01 10:32:00+0000,,o@b.example,z@gmail.com\n');
rejects.push({ text: 'zz,2026-05-01 10:32:00+0000,,o@b.example,z@gmail.com', reason: /unknown record type/ });
put('d,2026-05-01 10:33:00,,o@b.example,w@gmail.com\n');
rejects.push({ text: 'd,2026-05-01 10:33:00,,o@b.example,w@gmail.com', reason: /invalid timeLogged/ });
put('d,,,o@b.example,w2@gmail.com\n');
rejects.push({ text: 'd,,,o@b.example,w2@gmail.com', reason: /missing timeLogged/ });
// A complaint without a recipient (JMRP), attributed to vmta1 through 203.0.113.1; a remote bounce
// and a remote status without jobId take the reported message's X-Job header.
put('f,2026-05-01 10:40:00+0000,,,,,,,,203.0.113.1,,,,f1,,,job9\n');
wants.push({
  env: 'f1',
  type: 'f',
  rcpt: null,
  domain: '',
  vmta: null,
  at: '2026-05-01T10:40:00.000Z',
  job: 'job9',
});
put(
  'rb,2026-05-01 10:41:00+0000,,o@b.example,rb@gmail.com,failed,5.2.2,smtp;552 full,quota-issues,,,,,rb1,,,job8\n',
);
wants.push({
  env: 'rb1',
  type: 'rb',
  rcpt: 'rb@gmail.com',
  domain: 'gmail.com',
  vmta: null,
  at: '2026-05-01T10:41:00.000Z',
  diag: 'smtp;552 full',
  job: 'job8',
});
// The header again, with a BOM (a pipe restarted), upper case, a duplicate column and fewer fields.
put(`${BOM}TYPE,Rcpt,TimeLogged,VMTA,Rcpt,envid,Extra Col,Extra Col\r\n`);
for (let i = 0; i < 30; i++) {
  put(
    `d,h${i}@AOL.com,2026-05-02 00:00:${String(i).padStart(2, '0')}+0000,vmta3,dup${i}@x.example,h${i},e1,e2\n`,
  );
  wants.push({
    env: `h${i}`,
    type: 'd',
    rcpt: `h${i}@AOL.com`,
    domain: 'aol.com',
    vmta: 'vmta3',
    at: `2026-05-02T00:00:${String(i).padStart(2, '0')}.000Z`,
    diag: null,
    job: null,
  });
}
// A long line (a 200 KB diagnostic) and back to the union header, CRLF.
put(`b,h-long@aol.com,2026-05-02 00:01:00+0000,vmta3,,hl,,\n`);
wants.push({
  env: 'hl',
  type: 'b',
  rcpt: 'h-long@aol.com',
  domain: 'aol.com',
  vmta: 'vmta3',
  at: '2026-05-02T00:01:00.000Z',
});
put(`${UNION}\r\n`);
const long = `smtp;550 ${'x'.repeat(200_000)}`;
put(`b,2026-05-02 01:00:00+0000,,o@b.example,long@gmail.com,failed,5.0.0,"${long}",other,,,vmta1,,lg,,,\r\n`);
wants.push({
  env: 'lg',
  type: 'b',
  rcpt: 'long@gmail.com',
  domain: 'gmail.com',
  vmta: 'vmta1',
  at: '2026-05-02T01:00:00.000Z',
  diag: long,
  job: null,
});
for (let i = 0; i < 20; i++) {
  put(
    `tq,2026-05-02 02:00:${String(i).padStart(2, '0')}+0000,,,,,4.4.1 (no answer),"smtp;421 try, later",,0.0.0.0,,vmta4,,q${i},BÜCHER.de/vmta4,,\n`,
  );
  wants.push({
    env: `q${i}`,
    type: 'tq',
    rcpt: null,
    domain: 'bücher.de',
    vmta: 'vmta4',
    at: `2026-05-02T02:00:${String(i).padStart(2, '0')}.000Z`,
    diag: 'smtp;421 try, later',
    job: null,
  });
}

const file = Buffer.concat(parts);

let db: TestDatabase;
let dir: string;

beforeAll(async () => {
  db = await createTestDatabase();
  process.env.DATABASE_URL = db.url;
  dir = mkdtempSync(path.join(os.tmpdir(), 'acct-nasty-'));
});
afterAll(async () => {
  await db?.drop();
});

/** Deterministic cut points: every one a place a writer could have stopped mid-record. */
function cuts(n: number, seed: number): number[] {
  const out = new Set<number>();
  let x = seed;
  while (out.size < n) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    out.add(1 + (x % (file.length - 1)));
  }
  return [...out].sort((a, b) => a - b);
}

async function recordCount(): Promise<number> {
  const [{ n }] = await db.query<{ n: string }>('SELECT count(*) AS n FROM acct_record');
  return Number(n);
}

describe('nasty input through the real worker', () => {
  it('lands every record once with its fields, and every bad line as one reject', async () => {
    const target = path.join(dir, 'acct-2026-05-01-0000.csv');
    writeFileSync(target, '');
    const points = [...cuts(60, 7), file.length];
    const opts = { chunkBytes: 2048, batchBytes: 4096, batchRecords: 7, parseThreads: 2 };
    let follower = followWorker(db.url, [`mta1=${dir}`], opts);
    let from = 0;
    for (let k = 0; k < points.length; k++) {
      appendFileSync(target, file.subarray(from, points[k]));
      from = points[k];
      await new Promise((r) => setTimeout(r, 60));
      if (k === 20 || k === 45) {
        await follower.stop();
        follower = followWorker(db.url, [`mta1=${dir}`], opts);
      }
    }
    await waitFor(recordCount, (n) => n >= wants.length, 30_000);
    await new Promise((r) => setTimeout(r, 500));
    await follower.stop();

    const rows = await db.query<{
      env_id: string | null;
      type: string;
      rcpt: string | null;
      rcpt_domain: string;
      vmta: string | null;
      t: string;
      dsn_diag: string | null;
      job_id: string | null;
    }>(
      `SELECT env_id, type, rcpt, rcpt_domain, vmta, to_char(time_logged AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS t, dsn_diag, job_id FROM acct_record`,
    );
    const byEnv = new Map(rows.map((r) => [r.env_id ?? '', r]));
    expect(rows.length).toBe(wants.length);
    expect(byEnv.size).toBe(wants.length);
    for (const w of wants) {
      const r = byEnv.get(w.env);
      expect(r, w.env).toBeDefined();
      expect(
        { type: r?.type, rcpt: r?.rcpt, domain: r?.rcpt_domain, vmta: r?.vmta, at: r?.t },
        w.env,
      ).toEqual({
        type: w.type,
        rcpt: w.rcpt,
        domain: w.domain,
        vmta: w.vmta,
        at: w.at,
      });
      if (w.diag !== undefined) expect(r?.dsn_diag, w.env).toBe(w.diag);
      if (w.job !== undefined) expect(r?.job_id, w.env).toBe(w.job);
    }
    const got = await db.query<{ text: string; reason: string }>(
      'SELECT text, reason FROM acct_reject ORDER BY byte_offset',
    );
    expect(got.map((g) => g.text.replaceAll('\u2400', '\0'))).toEqual(rejects.map((r) => r.text));
    for (const [i, g] of got.entries()) expect(g.reason).toMatch(rejects[i].reason);

    const range = 'from=2026-04-30T00:00:00Z&to=2026-05-03T00:00:00Z';
    const { body } = await apiGet(`/api/v1/stats/summary?${range}`);
    const n = (t: string) => wants.filter((w) => w.type === t).length;
    expect(body.counts).toEqual({
      delivered: n('d'),
      bounced: n('b'),
      deferred: n('t'),
      queueDeferred: n('tq'),
      complaints: n('f'),
      received: 0,
      remoteBounced: n('rb'),
      remoteStatus: 0,
    });
    const vm = await apiGet(`/api/v1/stats/breakdown?${range}&by=vmta`);
    const vmta1 = vm.body.rows.find((r: { key: string }) => r.key === 'vmta1');
    expect(vmta1.counts.complaints).toBe(1);
    const dom = await apiGet(`/api/v1/stats/breakdown?${range}&by=domain&limit=50`);
    const keys = Object.fromEntries(
      dom.body.rows.map((r: { key: string; counts: Record<string, number> }) => [
        r.key,
        Object.values(r.counts).reduce((a, b) => a + b, 0),
      ]),
    );
    const wantDomains: Record<string, number> = {};
    for (const w of wants) wantDomains[w.domain] = (wantDomains[w.domain] ?? 0) + 1;
    expect(keys).toEqual(wantDomains);
  }, 120_000);

  it('rejects a time beyond year 9999 in UTC and counts the rest of the file (the worker stopped there)', async () => {
    // Found by this QA pass: `9999-12-31 23:59:59-0100` parsed as year 10000, its day partition
    // could not be created (PostgreSQL: time zone displacement out of range), and the worker
    // failed on that line at every start; nothing after it in the folder was ever read.
    const folder = folderWithLines('acct-years-', 'acct-2026-06-01-0000.csv', [
      'type,timeLogged,rcpt,vmta',
      'd,2026-06-01 10:00:00+0000,y1@gmail.com,vmta1',
      'd,9999-12-31 23:59:59-0100,y2@gmail.com,vmta1',
      'b,0000-06-01 10:00:00+0000,y3@gmail.com,vmta1',
      'd,0001-01-01 00:00:00+0000,y4@gmail.com,vmta1',
      'd,2026-06-01 10:01:00+0000,y5@gmail.com,vmta1',
    ]);
    const progress = await ingestOnce(db.url, [folder]);
    expect(progress).toMatchObject({ records: 3, rejects: 2 });
    const stored = await db.query<{ rcpt: string }>(
      `SELECT rcpt FROM acct_record WHERE rcpt LIKE 'y%' ORDER BY rcpt`,
    );
    expect(stored.map((r) => r.rcpt)).toEqual(['y1@gmail.com', 'y4@gmail.com', 'y5@gmail.com']);
    const bad = await db.query<{ reason: string }>(
      `SELECT reason FROM acct_reject WHERE text LIKE '%@gmail.com,vmta1' AND text ~ '^(d|b),(9999|0000)' ORDER BY byte_offset`,
    );
    expect(bad.map((r) => r.reason)).toEqual([
      "invalid timeLogged '9999-12-31 23:59:59-0100'",
      "invalid timeLogged '0000-06-01 10:00:00+0000'",
    ]);
    const { body } = await apiGet('/api/v1/stats/summary?from=2026-06-01T00:00:00Z&to=2026-06-02T00:00:00Z');
    expect(body.counts.delivered).toBe(2);
  });
});
