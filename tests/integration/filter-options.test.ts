import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFilters } from '../../lib/filters.ts';
import { getFilterOptions } from '../../lib/queries/get-filter-options.ts';
import { createTestDatabase, type TestDatabase } from '../db.ts';
import { ingestOnce } from '../helpers.ts';

// What the filter bar offers when a dimension has more values than it lists: the range's 50
// largest domains and jobs with how many others there are, and the small dimensions' every value
// up to 500, saying when there are more.

const DAY = 'from=2026-03-10T00:00:00Z&to=2026-03-11T00:00:00Z';
const pad = (n: number) => String(n).padStart(3, '0');

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  process.env.DATABASE_URL = db.url;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'acct-options-'));
  const lines = ['type,timeLogged,orig,rcpt,dlvSourceIp,vmta,jobId'];
  const at = (i: number) => `2026-03-10 ${String(10 + (i % 10)).padStart(2, '0')}:00:00+0000`;
  let n = 0;
  // Domains d000…d069 with 1…70 records, no job, each record from its own sending IP (2,485 IPs).
  for (let d = 0; d < 70; d++)
    for (let k = 0; k <= d; k++, n++)
      lines.push(
        `d,${at(n)},o@s.example,u${k}@d${pad(d)}.example,10.${n >> 16}.${(n >> 8) & 255}.${n & 255},,`,
      );
  // Jobs j000…j059 with 1…60 records, all to jobs.example (1,830 records), over exactly 500
  // VirtualMTAs.
  let v = 0;
  for (let j = 0; j < 60; j++)
    for (let k = 0; k <= j; k++, n++, v++)
      lines.push(`d,${at(n)},o@s.example,u${k}@jobs.example,,v${pad(v % 500)},j${pad(j)}`);
  // A larger job a week earlier: outside the range, neither offered nor counted as another.
  for (let k = 0; k < 100; k++)
    lines.push(`d,2026-03-03 10:00:00+0000,o@s.example,u${k}@old.example,,,old-job`);
  writeFileSync(path.join(dir, 'acct-2026-03-10.csv'), `${lines.join('\n')}\n`);
  await ingestOnce(db.url, [dir]);
});

afterAll(async () => {
  await db?.drop();
});

describe('filter options beyond what the bar lists', () => {
  it("offers the range's 50 largest domains and jobs, and counts the others", async () => {
    const { options, more } = await getFilterOptions(parseFilters(new URLSearchParams(DAY)));
    // jobs.example (1,830 records), then d069…d021 (70…22 records); d020…d000 are not offered.
    expect(options.domain).toEqual([
      ...Array.from({ length: 49 }, (_, i) => `d${pad(21 + i)}.example`),
      'jobs.example',
    ]);
    expect(more.domain).toBe(21);
    // j059…j010 (60…11 records); the records without a job are "(none)", offered apart.
    expect(options.job).toEqual(Array.from({ length: 50 }, (_, i) => `j${pad(10 + i)}`));
    expect(more.job).toBe(10);
  });

  it('offers every value of a small dimension up to 500, and says when there are more', async () => {
    const { options, more } = await getFilterOptions(parseFilters(new URLSearchParams(DAY)));
    expect(options.vmta).toEqual(Array.from({ length: 500 }, (_, i) => `v${pad(i)}`));
    expect(more.vmta).toBeUndefined();
    // 2,485 sending IPs: the first 500 in the database's order, and a mark that there are more.
    const ips = await db.query<{ ip: string }>(
      `SELECT DISTINCT dlv_source_ip AS ip FROM acct_record WHERE dlv_source_ip IS NOT NULL ORDER BY 1 LIMIT 500`,
    );
    expect(ips.length).toBe(500);
    expect(options.sourceIp).toEqual(ips.map((r) => r.ip).sort());
    expect(more.sourceIp).toBe(true);
    expect(more.provider).toBeUndefined();
  });

  it('counts only the range: the earlier week offers its own job and domain', async () => {
    const week = parseFilters(new URLSearchParams('from=2026-03-03T00:00:00Z&to=2026-03-04T00:00:00Z'));
    const { options, more } = await getFilterOptions(week);
    expect(options.job).toEqual(['old-job']);
    expect(options.domain).toEqual(['old.example']);
    expect(more.job).toBeUndefined();
    expect(more.domain).toBeUndefined();
  });
});
