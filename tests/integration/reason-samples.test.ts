import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFilters } from '../../lib/filters.ts';
import { getTopDiagnostics } from '../../lib/queries/get-top-diagnostics.ts';
import { createTestDatabase, type TestDatabase } from '../db.ts';
import { apiGet, folderWithLines, ingestOnce } from '../helpers.ts';

// A reason's sample line is the slice's own: Gmail's 4.7.28 names the sending IP, and the
// template's stored sample (its first line, from any sender) quoted vmta1's IP on vmta2's reasons
// (QA). Where the slice's raw records are gone, the stored line is given and labelled as such.

const HOUR = 'from=2026-06-01T10:00:00Z&to=2026-06-01T11:00:00Z&tz=UTC';
const TWO_DAYS = 'from=2026-05-31T00:00:00Z&to=2026-06-02T00:00:00Z&tz=UTC';
const gsmtp = (ip: string, id: string) =>
  `"smtp;421-4.7.28 [${ip}      15] Our system has detected an unusual rate of unsolicited mail originating from your IP address. ${id} - gsmtp"`;

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  process.env.DATABASE_URL = db.url;
  const rows = [
    'type,timeLogged,rcpt,vmta,vmtaPool,dlvSourceIp,dsnAction,dsnStatus,dsnDiag',
    `t,2026-06-01 10:01:00+0000,a@gmail.com,vmta1,pool-a,203.0.113.1,delayed,4.7.28,${gsmtp('203.0.113.1', 'a1')}`,
    `t,2026-06-01 10:02:00+0000,b@gmail.com,vmta2,pool-b,203.0.113.2,delayed,4.7.28,${gsmtp('203.0.113.2', 'b1')}`,
    `t,2026-06-01 10:03:30+0000,c@gmail.com,vmta2,pool-b,203.0.113.2,delayed,4.7.28,${gsmtp('203.0.113.2', 'b2')}`,
    `t,2026-06-01 10:04:00+0000,d@gmail.com,vmta1,pool-a,203.0.113.1,delayed,4.7.28,${gsmtp('203.0.113.1', 'a2')}`,
  ];
  await ingestOnce(db.url, [folderWithLines('acct-reason-samples-', 'acct-2026-06-01-0000.csv', rows)]);
});
afterAll(async () => {
  await db?.drop();
});

const reason = async (query: string) => {
  const { status, body } = await apiGet(`/api/v1/reasons?${query}`);
  expect(status).toBe(200);
  expect(body.rows).toHaveLength(1);
  return body.rows[0] as { total: number; sample: string; sampleOf: string };
};

describe("a reason's sample line", () => {
  it("is the slice's latest, on minute and hour rollups alike", async () => {
    for (const window of [HOUR, TWO_DAYS]) {
      expect(await reason(`${window}&vmta=vmta2`)).toMatchObject({
        total: 2,
        sample: gsmtp('203.0.113.2', 'b2').slice(1, -1),
        sampleOf: 'slice',
      });
      expect(await reason(`${window}&pool=pool-a`)).toMatchObject({
        total: 2,
        sample: gsmtp('203.0.113.1', 'a2').slice(1, -1),
        sampleOf: 'slice',
      });
      // A range ending before the slice's last record gets the latest inside it.
      expect(
        await reason('from=2026-06-01T10:00:00Z&to=2026-06-01T10:03:00Z&tz=UTC&provider=Google'),
      ).toMatchObject({ total: 2, sample: gsmtp('203.0.113.2', 'b1').slice(1, -1), sampleOf: 'slice' });
    }
    // A VirtualMTA page's top diagnostics read the same rows.
    const { rows } = await getTopDiagnostics(parseFilters(new URLSearchParams(`${HOUR}&vmta=vmta2`)), 10);
    expect(rows.map((r) => [r.total, r.sample, r.sampleOf])).toEqual([
      [2, gsmtp('203.0.113.2', 'b2').slice(1, -1), 'slice'],
    ]);
  });

  it("is the template's first, from any sender, once the slice's raw records are gone", async () => {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      await client.query(`DELETE FROM acct_record WHERE dlv_source_ip = '203.0.113.2'`);
    } finally {
      await client.end();
    }
    expect(await reason(`${HOUR}&vmta=vmta2`)).toMatchObject({
      total: 2,
      sample: gsmtp('203.0.113.1', 'a1').slice(1, -1),
      sampleOf: 'any',
    });
    expect((await reason(`${HOUR}&vmta=vmta1`)).sampleOf).toBe('slice');
  });
});
