import { readFileSync, writeFileSync } from 'node:fs';
import pg from 'pg';
import { SLICE_KIND } from '../lib/db/slice-kinds.ts';
import { assertLocal, fmt } from './bench-common.ts';

// `tsx scripts/bench-detail-pages.ts`: the server time of each screen (the streamed HTML read to
// its end, over HTTP) at 24 h, 7 d and 30 d ending at the data's end, median of BENCH_REPEATS warm
// loads after one unmeasured load. Reads an app already running (BENCH_APP, default
// http://127.0.0.1:3212) on DATABASE_URL's database, which names the busiest keys and the end.
// BENCH_SAVE=file writes the medians; BENCH_BEFORE=file prints them beside this run's.
// BENCH_APP_BEFORE=url measures a second app (the code before a change) on the same database,
// its loads alternating with BENCH_APP's, so that both see the same load of a shared machine.
// BENCH_ONLY keeps the pages whose path matches a regular expression.

const APP = process.env.BENCH_APP ?? 'http://127.0.0.1:3212';
const APP_BEFORE = process.env.BENCH_APP_BEFORE;
const REPEATS = Number(process.env.BENCH_REPEATS ?? 5);
const ONLY = new RegExp(process.env.BENCH_ONLY ?? '');
const RANGES = ['24h', '7d', '30d'] as const;

/** The key with the most deliveries in the day rollups of one slice kind. */
async function busiest(db: pg.Client, kind: number): Promise<string> {
  const { rows } = await db.query<{ key: string }>(
    `SELECT key FROM rollup_slice_day WHERE kind = $1 AND type = 'd' AND key <> ''
      GROUP BY key ORDER BY sum(n) DESC, key LIMIT 1`,
    [kind],
  );
  if (!rows[0]) throw new Error(`no key of slice kind ${kind}: is the database loaded?`);
  return rows[0].key;
}

async function pagesAndEnd(): Promise<{ pages: string[]; to: string }> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is required (the database the app reads)');
  assertLocal(url);
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const key = async (kind: number) => encodeURIComponent(await busiest(db, kind));
    const pages = [
      '/',
      '/providers/Google',
      '/domains/gmail.com',
      `/vmtas/${await key(SLICE_KIND.vmta)}`,
      `/pools/${await key(SLICE_KIND.pool)}`,
      `/ips/${await key(SLICE_KIND.sourceIp)}`,
      `/jobs/${await key(SLICE_KIND.job)}`,
      '/latency',
      '/bounces',
      '/complaints',
      '/reasons',
      '/incidents',
    ];
    const { rows } = await db.query<{ end: Date }>('SELECT max(time_logged) AS end FROM acct_record');
    // The end of the last record's minute, as a preset ending "now" right after it would be.
    const end = Math.floor(rows[0].end.getTime() / 60_000) * 60_000 + 60_000;
    return { pages, to: new Date(end).toISOString() };
  } finally {
    await db.end();
  }
}

/** Milliseconds until the whole streamed response was read. */
async function load(url: string): Promise<number> {
  const start = performance.now();
  const res = await fetch(url);
  const body = await res.text();
  const ms = performance.now() - start;
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  // A panel that failed renders its error in place of its content; its time says nothing.
  if (body.includes('could not be loaded') || body.includes('data-dgst'))
    throw new Error(`${url}: a panel failed`);
  return ms;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main() {
  assertLocal(APP);
  const { pages, to } = await pagesAndEnd();
  if (APP_BEFORE) assertLocal(APP_BEFORE);
  const before: Record<string, number> = process.env.BENCH_BEFORE
    ? JSON.parse(readFileSync(process.env.BENCH_BEFORE, 'utf8'))
    : {};
  const compared = Boolean(APP_BEFORE || process.env.BENCH_BEFORE);
  const medians: Record<string, number> = {};
  console.log(
    `app ${APP}${APP_BEFORE ? ` (before: ${APP_BEFORE})` : ''}, to=${to}, median of ${REPEATS} warm loads (ms)`,
  );
  console.log(`${'page'.padEnd(40)} ${RANGES.map((r) => r.padStart(compared ? 16 : 7)).join(' ')}`);
  for (const page of pages.filter((p) => ONLY.test(p))) {
    const cells: string[] = [];
    for (const range of RANGES) {
      const query = `${page}?range=${range}&to=${encodeURIComponent(to)}`;
      await load(`${APP}${query}`);
      if (APP_BEFORE) await load(`${APP_BEFORE}${query}`);
      const samples: number[] = [];
      const samplesBefore: number[] = [];
      for (let i = 0; i < REPEATS; i++) {
        if (APP_BEFORE) samplesBefore.push(await load(`${APP_BEFORE}${query}`));
        samples.push(await load(`${APP}${query}`));
      }
      const ms = median(samples);
      const name = `${page} ${range}`;
      medians[name] = ms;
      if (APP_BEFORE) before[name] = median(samplesBefore);
      cells.push(
        before[name] === undefined ? fmt(ms).padStart(7) : `${fmt(before[name])} → ${fmt(ms)}`.padStart(16),
      );
    }
    console.log(`${page.padEnd(40)} ${cells.join(' ')}`);
  }
  if (process.env.BENCH_SAVE) writeFileSync(process.env.BENCH_SAVE, `${JSON.stringify(medians, null, 2)}\n`);
}

await main();
