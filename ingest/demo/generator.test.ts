import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GenerateOptions, generateFiles } from './generator.ts';
import { parseAcctTime, readAcctFiles } from './read-acct-files.ts';
import { DEFAULT_COLUMNS, FBL_COLUMNS, MAIN_COLUMNS, TQ_COLUMNS } from './rows.ts';

const root = mkdtempSync(join(tmpdir(), 'acct-gen-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let dirs = 0;
function freshDir(): string {
  return join(root, `run-${dirs++}`);
}

const END = new Date('2024-05-14T10:30:00Z');
const DAY = 86_400_000;
const FILE_NAME = /^acct(-tq|-fbl)?-(\d{4}-\d{2}-\d{2})-(\d{4})\.csv$/;

async function generate(extra: Partial<GenerateOptions> = {}) {
  const out = freshDir();
  const opts: GenerateOptions = { out, records: 20_000, days: 2, end: END, seed: 7, ...extra };
  const result = await generateFiles(opts);
  return { out, result, files: readAcctFiles(out) };
}

describe('generateFiles, full layout', () => {
  let result: Awaited<ReturnType<typeof generate>>['result'];
  let files: Awaited<ReturnType<typeof generate>>['files'];
  let all: Record<string, string>[];
  beforeAll(async () => {
    ({ result, files } = await generate());
    all = files.flatMap((f) => f.rows);
  });

  it('writes exactly the requested number of records and reports matching counts', () => {
    expect(result.records).toBe(20_000);
    expect(all).toHaveLength(20_000);
    const recount: Record<string, number> = {};
    for (const row of all) recount[row.type] = (recount[row.type] ?? 0) + 1;
    expect(recount).toEqual(result.countsByType);
    expect(Object.keys(recount).sort()).toEqual(['b', 'd', 'f', 'r', 'rb', 'rs', 't', 'tq']);
  });

  it('reports the bytes and files it wrote', () => {
    expect(result.files.map((f) => f.split('/').pop())).toEqual(files.map((f) => f.name));
    const size = result.files.reduce((sum, f) => sum + statSync(f).size, 0);
    expect(result.bytes).toBe(size);
  });

  it('starts each file kind with its header and gives every row the header width', () => {
    for (const file of files) {
      const kind = FILE_NAME.exec(file.name)?.[1];
      const expected = kind === '-tq' ? TQ_COLUMNS : kind === '-fbl' ? FBL_COLUMNS : MAIN_COLUMNS;
      expect(file.header).toEqual([...expected]);
      expect(file.text.startsWith(`${expected.join(',')}\n`)).toBe(true);
      expect(new Set(file.widths)).toEqual(new Set([expected.length]));
    }
  });

  it('puts each type in its file kind', () => {
    for (const file of files) {
      const kind = FILE_NAME.exec(file.name)?.[1];
      const types = new Set(file.rows.map((r) => r.type));
      if (kind === '-tq') expect(types).toEqual(new Set(['tq']));
      else if (kind === '-fbl') expect(types).toEqual(new Set(['f']));
      else for (const t of types) expect(['d', 'b', 't', 'r', 'rb', 'rs']).toContain(t);
    }
  });

  it('orders rows by time within [end - days, end) and rotates files by UTC day', () => {
    for (const file of files) {
      const match = FILE_NAME.exec(file.name);
      expect(match).not.toBeNull();
      let previous = Number.NEGATIVE_INFINITY;
      for (const row of file.rows) {
        const t = parseAcctTime(row.timeLogged);
        expect(t).toBeGreaterThanOrEqual(previous);
        expect(t).toBeGreaterThanOrEqual(END.getTime() - 2 * DAY);
        expect(t).toBeLessThan(END.getTime());
        expect(new Date(t).toISOString().slice(0, 10)).toBe(match?.[2]);
        previous = t;
      }
    }
    // [May 12 10:30, May 14 10:30) touches three UTC days.
    expect(new Set(files.map((f) => FILE_NAME.exec(f.name)?.[2]))).toEqual(
      new Set(['2024-05-12', '2024-05-13', '2024-05-14']),
    );
  });

  it('writes JMRP complaints with an empty rcpt and ARF complaints with one', () => {
    const complaints = all.filter((r) => r.type === 'f');
    const jmrp = complaints.filter((r) => r.format === 'jmrp');
    expect(jmrp.length).toBeGreaterThan(0);
    for (const row of jmrp) {
      expect(row.rcpt).toBe('');
      expect(row.feedbackType).toBe('abuse');
      expect(row.reportingMta).toBe('hotmail.com');
    }
    const arf = complaints.filter((r) => r.format === 'arf');
    expect(arf.length).toBeGreaterThan(0);
    for (const row of arf) expect(row.rcpt).toMatch(/@/);
    const sendingIps = new Set(all.filter((r) => r.type === 'd').map((r) => r.dlvSourceIp));
    for (const row of complaints) expect(sendingIps).toContain(row.dlvSourceIp);
  });

  it('has a realistic outcome mix', () => {
    const c = result.countsByType;
    const finals = c.d + c.b;
    expect(c.b / finals).toBeGreaterThan(0.02);
    expect(c.b / finals).toBeLessThan(0.1);
    expect(c.f / c.d).toBeGreaterThan(0.0003);
    expect(c.f / c.d).toBeLessThan(0.005);
    const gmail = all.filter((r) => r.type === 'd' && r.rcpt.endsWith('@gmail.com')).length;
    expect(gmail / c.d).toBeGreaterThan(0.25);
    expect(gmail / c.d).toBeLessThan(0.45);
  });

  it('writes quoted esmtp lists, VERP senders, yahoo rollup queues and IDN recipients', () => {
    const delivered = all.filter((r) => r.type === 'd');
    expect(delivered.every((r) => r.dlvEsmtpAvailable.includes(','))).toBe(true);
    expect(delivered.every((r) => /^bounce-.+=.+@bounces\./.test(r.orig))).toBe(true);
    expect(all.some((r) => r.queue?.startsWith('yahoo.rollup/'))).toBe(true);
    const idn = all.filter((r) => r.rcpt?.endsWith('@bücher.de'));
    expect(idn.length).toBeGreaterThan(0);
    expect(idn.every((r) => r.orig.includes('=xn--bcher-kva.de@'))).toBe(true);
    expect(all.some((r) => r.queue?.startsWith('bücher.de/'))).toBe(true);
  });

  it('varies provider diagnostics (masked numbers, IPs and ids differ)', () => {
    const gmail = all.filter((r) => r.type === 't' && r.dsnDiag.includes('4.7.28'));
    const deferrals = all.filter((r) => r.type === 't').map((r) => r.dsnDiag);
    expect(new Set(deferrals).size).toBeGreaterThan(deferrals.length / 2);
    for (const row of gmail) expect(row.dsnDiag).toContain(`[${row.dlvSourceIp} `);
  });
});

describe('generateFiles options', () => {
  it('is deterministic for a seed and changes with it', async () => {
    const a = await generate({ records: 5_000 });
    const b = await generate({ records: 5_000 });
    const c = await generate({ records: 5_000, seed: 8 });
    expect(b.files.map((f) => f.name)).toEqual(a.files.map((f) => f.name));
    for (let i = 0; i < a.files.length; i++) expect(b.files[i].text).toBe(a.files[i].text);
    expect(c.files.map((f) => f.text).join('')).not.toBe(a.files.map((f) => f.text).join(''));
  });

  it('simple layout writes one file kind with the 23 default columns and only d/b/t', async () => {
    const { result, files } = await generate({ layout: 'simple', records: 30_000, days: 1 });
    expect(result.records).toBe(30_000);
    for (const file of files) {
      expect(file.name).toMatch(/^acct-\d{4}-\d{2}-\d{2}-\d{4}\.csv$/);
      expect(file.header).toEqual([...DEFAULT_COLUMNS]);
      expect(new Set(file.widths)).toEqual(new Set([23]));
      // Benchmark files keep one record per physical line.
      expect(file.text.split('\n').length - 2).toBe(file.rows.length);
    }
    const c = result.countsByType;
    expect(Object.keys(c).sort()).toEqual(['b', 'd', 't']);
    expect(c.d / 30_000).toBeGreaterThan(0.7);
    expect(c.t / 30_000).toBeGreaterThan(0.08);
    expect(c.t / 30_000).toBeLessThan(0.25);
    expect(c.b / 30_000).toBeGreaterThan(0.02);
    expect(c.b / 30_000).toBeLessThan(0.1);
  });

  it('scales the domain catalog (Zipf tail) with the domains option', async () => {
    const { files } = await generate({ layout: 'simple', records: 30_000, domains: 2_000 });
    const domains = new Set(files.flatMap((f) => f.rows.map((r) => r.rcpt.split('@')[1])));
    expect(domains.size).toBeGreaterThan(700);
    expect(domains.size).toBeLessThanOrEqual(2_000);
  });

  it('honours vmtas, pools and jobs', async () => {
    const { files } = await generate({ records: 5_000, vmtas: 4, pools: 2, jobs: 3 });
    const rows = files.flatMap((f) => f.rows).filter((r) => r.type === 'd');
    expect(new Set(rows.map((r) => r.vmta))).toEqual(new Set(['vmta1', 'vmta2', 'vmta3', 'vmta4']));
    expect(new Set(rows.map((r) => r.vmtaPool))).toEqual(new Set(['pool-a', 'pool-b']));
    expect(new Set(rows.map((r) => r.jobId)).size).toBe(3);
    expect(rows.every((r) => r['header_X-Job'] === r.jobId)).toBe(true);
  });

  it('writes local offsets and CRLF when asked', async () => {
    const { files } = await generate({ records: 2_000, timeZoneOffset: '+0100', crlf: true });
    for (const file of files) {
      expect(
        file.text
          .split('\n')
          .slice(0, -1)
          .every((line) => line.endsWith('\r')),
      ).toBe(true);
      for (const row of file.rows) {
        expect(row.timeLogged).toMatch(/\+0100$/);
        const t = parseAcctTime(row.timeLogged);
        expect(t).toBeLessThan(END.getTime());
        expect(t).toBeGreaterThanOrEqual(END.getTime() - 2 * DAY);
      }
    }
  });

  it('rotates at maxFileBytes, repeating the header in each file', async () => {
    const { result, files } = await generate({ records: 6_000, maxFileBytes: 200_000 });
    const main = files.filter((f) => /^acct-\d/.test(f.name));
    expect(main.length).toBeGreaterThan(6);
    for (const file of main) {
      expect(Buffer.byteLength(file.text)).toBeLessThanOrEqual(200_000);
      expect(file.header).toEqual([...MAIN_COLUMNS]);
    }
    expect(files.reduce((n, f) => n + f.rows.length, 0)).toBe(result.records);
    expect(main.some((f) => f.name.endsWith('-0003.csv'))).toBe(true);
  });

  it('hits odd totals exactly, including zero', async () => {
    for (const records of [0, 1, 7, 1_234]) {
      const { result, files } = await generate({ records, days: 0.25 });
      expect(result.records).toBe(records);
      expect(files.reduce((n, f) => n + f.rows.length, 0)).toBe(records);
    }
  });

  it('rejects bad options', async () => {
    await expect(generateFiles({ out: freshDir(), records: -1, days: 1 })).rejects.toThrow(/records/);
    await expect(generateFiles({ out: freshDir(), records: 10, days: 0 })).rejects.toThrow(/days/);
    await expect(
      generateFiles({ out: freshDir(), records: 10, days: 1, timeZoneOffset: 'CET' }),
    ).rejects.toThrow(/timeZoneOffset/);
  });

  it('keeps multi-line diagnostics as one quoted record in the full layout', async () => {
    const { files } = await generate({ records: 60_000, days: 1, seed: 3 });
    const rows = files.flatMap((f) => f.rows);
    const multi = rows.filter((r) => r.dsnDiag?.includes('\n'));
    expect(multi.length).toBeGreaterThan(0);
    for (const row of multi) expect(row.dsnDiag.split('\n')[0]).toMatch(/^smtp;550-/);
  });
});
