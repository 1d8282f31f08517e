import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Bucket, bucketStarts, bucketWindow, truncateToBucket } from '../../lib/queries/buckets.ts';
import { createTestDatabase, type TestDatabase } from '../db.ts';

// The stats bucket raw rows with PostgreSQL's date_trunc(unit, t, zone) and lay them on bucket
// starts computed in JavaScript (bucketStarts, gaps filled with zeros): the two must agree on every
// instant, or a count lands outside the series. Checked around DST changes in zones with whole-hour,
// half-hour (Lord Howe: +10:30 ↔ +11) and 45-minute offsets, and where midnight is skipped.

const ZONES = [
  'Australia/Lord_Howe',
  'America/New_York',
  'Europe/Berlin',
  'America/Santiago',
  'Asia/Beirut',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Pacific/Chatham',
  'America/St_Johns',
  'America/Havana',
];
// Around the 2026 changes of these zones (spring and autumn, both hemispheres).
const STARTS = [
  '2026-10-03T12:00:00Z',
  '2026-04-04T12:00:00Z',
  '2026-03-08T04:00:00Z',
  '2026-11-01T03:00:00Z',
  '2026-03-29T00:00:00Z',
  '2026-10-25T00:00:00Z',
  '2026-09-05T20:00:00Z',
  '2026-04-04T20:00:00Z',
  '2026-03-28T20:00:00Z',
  '2026-10-24T20:00:00Z',
  '2026-09-27T10:00:00Z',
];
const STEP = 7 * 60_000;
const STEPS = 60;

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

describe('bucket starts against PostgreSQL date_trunc', () => {
  it('truncates every instant as PostgreSQL does, and bucketStarts holds each bucket', async () => {
    const cases: { t: string; unit: Bucket; tz: string }[] = [];
    for (const tz of ZONES)
      for (const s of STARTS)
        for (let i = 0; i < STEPS; i++)
          for (const unit of ['hour', 'day'] as const)
            cases.push({ t: new Date(Date.parse(s) + i * STEP).toISOString(), unit, tz });
    const rows = await db.query<{ b: Date }>(
      `SELECT date_trunc(c.unit, c.t, c.tz) AS b
         FROM unnest($1::timestamptz[], $2::text[], $3::text[]) WITH ORDINALITY AS c(t, unit, tz, i)
        ORDER BY c.i`,
      [cases.map((c) => c.t), cases.map((c) => c.unit), cases.map((c) => c.tz)],
    );
    expect(rows).toHaveLength(cases.length);
    const wrong = cases
      .map((c, i) => ({
        ...c,
        js: truncateToBucket(new Date(c.t), c.unit, c.tz).toISOString(),
        pg: rows[i].b.toISOString(),
      }))
      .filter((c) => c.js !== c.pg);
    expect(wrong).toEqual([]);
    // Every bucket PostgreSQL gives the instants of a range is one of the range's bucket starts.
    for (const tz of ZONES)
      for (const s of STARTS)
        for (const unit of ['hour', 'day'] as const) {
          const from = new Date(Date.parse(s));
          const to = new Date(Date.parse(s) + STEPS * STEP);
          const starts = new Set(bucketStarts(from, to, unit, tz).map((d) => d.toISOString()));
          cases.forEach((c, i) => {
            const t = Date.parse(c.t);
            if (c.tz === tz && c.unit === unit && t >= from.getTime() && t < to.getTime())
              expect(starts.has(rows[i].b.toISOString()), `${tz} ${unit} ${c.t}`).toBe(true);
          });
          // A bucket's window (what a chart's bar opens) holds exactly the instants PostgreSQL
          // counts in it (QA: at Lord Howe's and Havana's changes a bar opened another window).
          for (const start of starts) {
            const w = bucketWindow(new Date(start), unit, tz);
            cases.forEach((c, i) => {
              if (c.tz !== tz || c.unit !== unit) return;
              const t = Date.parse(c.t);
              const inside = t >= w.start.getTime() && t < w.end.getTime();
              expect(inside, `${tz} ${unit} ${start} ${c.t}`).toBe(rows[i].b.toISOString() === start);
            });
          }
        }
  });

  it('starts Lord Howe’s hours as PostgreSQL does where half an hour is skipped or repeated', () => {
    // 2026-10-04 02:00 +10:30 → 02:30 +11: the hour 02:00 (of 02:30–03:00 +11) starts at 15:00Z.
    const starts = bucketStarts(
      new Date('2026-10-03T14:00:00Z'),
      new Date('2026-10-03T17:00:00Z'),
      'hour',
      'Australia/Lord_Howe',
    ).map((d) => d.toISOString());
    expect(starts).toEqual([
      '2026-10-03T13:30:00.000Z',
      '2026-10-03T14:30:00.000Z',
      '2026-10-03T15:00:00.000Z',
      '2026-10-03T16:00:00.000Z',
    ]);
  });
});
