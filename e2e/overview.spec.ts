import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import pg from 'pg';
import { formatRange } from '../lib/acct/format.ts';
import { RECORD_COLORS } from '../lib/acct/record-colors.ts';
import { visibleTestId } from './visible.ts';

const FIXTURE_HOUR = '/?from=2026-01-10T10:00:00Z&to=2026-01-10T11:00:00Z';

test('the overview shows the exact fixture counts ingested by the worker', async ({ page }) => {
  // A fresh browser logs nothing to the console (a missing favicon used to be a 404 there).
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(FIXTURE_HOUR);
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
  await expect(visibleTestId(page, 'kpi-delivered')).toHaveText('7');
  await expect(visibleTestId(page, 'kpi-bounced')).toHaveText('3');
  await expect(visibleTestId(page, 'kpi-deferred')).toHaveText('1');
  await expect(visibleTestId(page, 'kpi-complaints')).toHaveText('2');
  await expect(visibleTestId(page, 'kpi-queue-deferred')).toHaveText('1');
  await expect(page.getByRole('region', { name: 'Bounced', exact: true })).toContainText(
    'bounce rate 30.00 %',
  );
  // 1 deferral among 7 + 3 + 1 attempts, as the incidents judge a deferral rate.
  await expect(page.getByRole('region', { name: 'Deferred', exact: true })).toContainText(
    'deferral rate 9.09 %',
  );
  // A linked count is read with its number: the link's name was its label alone, so a screen
  // reader read no count of the dashboard ("Delivered records").
  await expect(page.getByRole('link', { name: 'Delivered records: 7', exact: true })).toHaveText('7');
  await expect(
    page
      .getByRole('region', { name: 'Top providers' })
      .getByRole('link', { name: 'Delivered records of Google: 3', exact: true }),
  ).toHaveText('3');
  await page.screenshot({ path: test.info().outputPath('overview.png'), fullPage: true });
  expect(errors).toEqual([]);
});

test('a narrower range changes the counts', async ({ page }) => {
  await page.goto('/?from=2026-01-10T10:00:20Z&to=2026-01-10T10:06:00.001Z');
  await expect(visibleTestId(page, 'kpi-delivered')).toHaveText('5');
  await expect(visibleTestId(page, 'kpi-bounced')).toHaveText('2');
});

test('a window edge within a minute whose raw records are gone is refused as a bad parameter', async ({
  page,
}) => {
  // As if the worker had dropped the fixture's day past its raw retention (rollups stay).
  const db = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL });
  await db.connect();
  try {
    await db.query(
      `INSERT INTO raw_retention (kept_from) VALUES ('2026-01-11T00:00:00Z')
       ON CONFLICT (id) DO UPDATE SET kept_from = EXCLUDED.kept_from`,
    );
    // The records explorer says it in place of its list (which streams on its own).
    for (const screen of ['/', '/domains', '/providers/Google', '/records']) {
      await page.goto(`${screen}?from=2026-01-10T10:00:20Z&to=2026-01-10T10:06:00Z`);
      await expect(page.getByRole('alert').filter({ hasText: 'Invalid from' })).toHaveText(
        'Invalid from: from=2026-01-10T10:00:20.000Z is not a whole minute, and the raw records of ' +
          'minutes before 2026-01-11T00:00:00.000Z are no longer kept (RAW_RETENTION_DAYS): give a whole minute',
      );
    }
    // Whole minutes are counted from the rollups, as exactly as before.
    await page.goto(FIXTURE_HOUR);
    await expect(visibleTestId(page, 'kpi-delivered')).toHaveText('7');
    await expect(visibleTestId(page, 'kpi-complaints')).toHaveText('2');
    // The explorer still counts those records (rollups) but cannot list them, and says so.
    await page.goto(`/records?${FIXTURE_HOUR.slice(2)}&tz=UTC&type=d`);
    await expect(visibleTestId(page, 'records-total')).toHaveText(
      '7 records match these filters in this range',
    );
    await expect(visibleTestId(page, 'records-retention')).toHaveText(
      'Raw records before 2026-01-11 00:00 (UTC) are no longer kept (RAW_RETENTION_DAYS): the list holds ' +
        'none of them from then on; the total above counts them all, from the rollups.',
    );
    await page.goto('/suppressions?tz=UTC');
    await expect(visibleTestId(page, 'suppressions-retention')).toContainText(
      'Raw records before 2026-01-11 00:00 (UTC) are no longer kept (RAW_RETENTION_DAYS)',
    );
  } finally {
    await db.query('DELETE FROM raw_retention');
    await db.end();
  }
});

test('a range needing minute rollups no longer kept is refused, and minutes are not offered for it', async ({
  page,
}) => {
  // As if the worker had deleted the fixture's minute rollups past MINUTE_ROLLUP_RETENTION_DAYS
  // (published first; the hour rollups stay).
  const db = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL });
  await db.connect();
  try {
    await db.query(
      `INSERT INTO minute_retention (kept_from) VALUES ('2026-01-11T00:00:00Z')
       ON CONFLICT (id) DO UPDATE SET kept_from = EXCLUDED.kept_from`,
    );
    for (const screen of ['/', '/domains', '/providers/Google', '/bounces']) {
      await page.goto(`${screen}?from=2026-01-10T10:06:00Z&to=2026-01-10T11:00:00Z`);
      await expect(page.getByRole('alert').filter({ hasText: 'Invalid from' }), screen).toHaveText(
        'Invalid from: from=2026-01-10T10:06:00.000Z is not on a whole hour, and the minute rollups before ' +
          '2026-01-11T00:00:00.000Z are no longer kept (MINUTE_ROLLUP_RETENTION_DAYS): give a whole hour',
      );
    }
    await page.goto(`${FIXTURE_HOUR}&bucket=minute`);
    await expect(page.getByRole('alert').filter({ hasText: 'Invalid bucket' })).toContainText(
      'the minute rollups before 2026-01-11T00:00:00.000Z are no longer kept (MINUTE_ROLLUP_RETENTION_DAYS)',
    );
    // Whole hours are counted from the hour rollups, charted in hours, and minutes are not offered.
    await page.goto(FIXTURE_HOUR);
    await expect(visibleTestId(page, 'kpi-delivered')).toHaveText('7');
    await expect(visibleTestId(page, 'kpi-complaints')).toHaveText('2');
    const bucket = page.getByRole('combobox', { name: 'Bucket' });
    await expect(bucket.getByRole('option', { name: 'Minute (not kept before 2026-01-11)' })).toBeDisabled();
    await expect(bucket.getByRole('option', { name: 'Hour' })).toBeEnabled();
    // The reasons screen says so in place of its panel.
    await page.goto('/reasons?from=2026-01-10T10:06:00Z&to=2026-01-10T11:00:00Z');
    await expect(page.getByRole('region', { name: 'Reasons' })).toContainText(
      'from=2026-01-10T10:06:00.000Z is not on a whole hour, and the minute rollups before ' +
        '2026-01-11T00:00:00.000Z are no longer kept (MINUTE_ROLLUP_RETENTION_DAYS): give a whole hour.',
    );
  } finally {
    await db.query('DELETE FROM minute_retention');
    await db.end();
  }
});

test('a line appended to a followed file shows up on the overview', async ({ page }) => {
  const dir = process.env.E2E_ACCT_DIR;
  if (!dir) throw new Error('E2E_ACCT_DIR not set by the global setup');
  await page.goto('/');
  await expect(visibleTestId(page, 'kpi-delivered')).toHaveText('0');
  appendFileSync(
    path.join(dir, 'acct-2026-01-10-0001.csv'),
    `d,${Math.floor(Date.now() / 1000)},orig@port25.com,live@gmail.com,10.0.0.1,\r\n`,
  );
  await expect(async () => {
    await page.reload();
    await expect(visibleTestId(page, 'kpi-delivered')).toHaveText('1', { timeout: 500 });
  }).toPass({ timeout: 15_000 });
});

test('the API answers bad parameters with 400', async ({ request }) => {
  const res = await request.get('/api/v1/stats/summary?from=nope');
  expect(res.status()).toBe(400);
  expect((await res.json()).error.param).toBe('from');
});

test('the API answers an unknown path with a JSON 404, a method it does not take with a JSON 405', async ({
  request,
}) => {
  // Next.js answered both with its HTML "404: This page could not be found." page (QA).
  for (const url of [
    '/api/v1/nope',
    '/api/v1/stats/nope',
    '/api/v1/stats',
    '/api/v1',
    '/api/v2/stats/summary',
  ]) {
    const res = await request.get(url);
    expect(res.status(), url).toBe(404);
    expect(res.headers()['content-type'], url).toContain('application/json');
    expect((await res.json()).error.message, url).toContain(
      `no endpoint ${new URL(url, 'http://x').pathname}`,
    );
  }
  expect((await request.post('/api/v1/nope')).status()).toBe(404);
  for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
    const res = await request.fetch('/api/v1/stats/summary', { method });
    expect(res.status(), method).toBe(405);
    expect(res.headers().allow, method).toBe('GET, HEAD, OPTIONS');
    expect((await res.json()).error.message, method).toContain(`${method} is not allowed`);
  }
  const options = await request.fetch('/api/v1/incidents', { method: 'OPTIONS' });
  expect(options.status()).toBe(204);
  expect(options.headers().allow).toBe('GET, HEAD, OPTIONS');
  // The endpoints themselves still answer.
  expect((await request.get('/api/v1/stats/summary')).status()).toBe(200);
  expect((await request.get('/api/health')).status()).toBe(200);
});

test('the API answers a percent-escape that is not UTF-8, in the path or the query, with a JSON 400', async ({
  request,
}) => {
  // In the path Next.js could not decode it and answered a plain-text 500 "Internal Server Error".
  const cases: [string, string | undefined][] = [
    ['/api/v1/%FF', undefined],
    ['/api/%FF', undefined],
    ['/api/v1/stats/%E0%A4%A', undefined],
    ['/api/v1/stats/summary/%FF', undefined],
    ['/api/v1/stats/summary?domain=%FF', 'domain'],
    ['/api/v1/records?cursor=%E0%A4%A', 'cursor'],
    ['/api/v1/stats/summary?%FF=1', '\uFFFD'],
  ];
  for (const [url, param] of cases) {
    for (const method of ['GET', 'POST']) {
      const res = await request.fetch(url, { method });
      expect({ url, method, status: res.status() }).toEqual({ url, method, status: 400 });
      expect(res.headers()['content-type'], url).toContain('application/json');
      const { error } = await res.json();
      expect(error.message, url).toContain('not valid UTF-8');
      expect(error.param, url).toBe(param);
      // The query's escapes are read by the endpoint, which takes only GET.
      if (param) break;
    }
  }
});

test('the overview charts every bucket and lists top providers, domains and VirtualMTAs', async ({
  page,
}) => {
  await page.goto(FIXTURE_HOUR);
  const chart = page.getByRole('region', { name: 'Records over time' });
  await expect(chart.locator('svg.recharts-surface').first()).toBeVisible();
  await expect(chart.locator('.recharts-bar-rectangle:has(rect)').first()).toBeVisible();
  const providers = page.getByRole('region', { name: 'Top providers' });
  await expect(providers.getByRole('row', { name: /^Google/ })).toContainText('3');
  const vmtas = page.getByRole('region', { name: 'Top VirtualMTAs' });
  await expect(vmtas.getByRole('row', { name: /^vmta1/ })).toContainText('4');
  await page.screenshot({ path: test.info().outputPath('overview-panels.png'), fullPage: true });
});

test('a count axis steps in whole records', async ({ page }) => {
  // A minute's bars hold a record or two: the axis read 0, 0.5, 1, 1.5, 2 (QA).
  await page.goto('/?from=2026-01-10T10:00:00Z&to=2026-01-10T11:00:00Z&bucket=minute&tz=UTC');
  const chart = page.getByRole('region', { name: 'Records over time' });
  const labels = chart.locator('.recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value');
  await expect.poll(() => labels.count()).toBeGreaterThanOrEqual(2);
  const values = (await labels.allTextContents()).map(Number);
  expect(Math.max(...values)).toBeLessThanOrEqual(4);
  for (const v of values) expect(Number.isInteger(v), String(values)).toBe(true);
});

test('the range reads as wall times, and x-axis labels fall on round hours inside the chart', async ({
  page,
}) => {
  // 25 hourly buckets: labelled every 6 hours (every 3 would be 9 labels), the last one on the last
  // bucket, at the plot's right edge.
  await page.goto('/?from=2026-01-09T12:00:00Z&to=2026-01-10T13:00:00Z&bucket=hour&tz=UTC');
  await expect(visibleTestId(page, 'range')).toHaveText('9 Jan 2026, 12:00 → 10 Jan 2026, 13:00 (UTC)');
  const chart = page.getByRole('region', { name: 'Records over time' });
  const surface = chart.locator('svg.recharts-surface').first();
  await expect(surface).toBeVisible();
  const labels = chart.locator('.recharts-xAxis-tick-labels .recharts-cartesian-axis-tick-value');
  await expect(labels).toHaveText([
    '9 Jan, 12:00',
    '9 Jan, 18:00',
    '10 Jan, 00:00',
    '10 Jan, 06:00',
    '10 Jan, 12:00',
  ]);
  const box = (await surface.boundingBox())!;
  for (const label of await labels.all()) {
    const b = (await label.boundingBox())!;
    expect(b.x).toBeGreaterThanOrEqual(box.x);
    expect(b.x + b.width).toBeLessThanOrEqual(box.x + box.width);
  }
});

test('a count in a top table opens exactly the records behind it', async ({ page }) => {
  await page.goto(FIXTURE_HOUR);
  const link = page
    .getByRole('region', { name: 'Top VirtualMTAs' })
    .getByRole('link', { name: 'Delivered records of vmta1' });
  const shown = Number((await link.textContent())?.replaceAll(',', ''));
  await link.click();
  await expect(page).toHaveURL(/\/records\?.*vmta=vmta1/);
  const table = page.getByRole('region', { name: 'Records' });
  await expect(table.getByRole('row')).toHaveCount(shown + 1); // + the header row
  await expect(visibleTestId(page, 'records-shown')).toHaveText(`${shown} records on this page`); // shown > 1
  for (const cells of await table.getByRole('row').all()) {
    const text = await cells.textContent();
    if (text?.startsWith('Time')) continue;
    expect(text).toContain('vmta1');
  }
  await page.screenshot({ path: test.info().outputPath('records.png'), fullPage: true });
});

test('the records explorer downloads every matching record as CSV, all pages of it', async ({ page }) => {
  // Two records a page: the download holds the other pages too, and exactly the total.
  const query = 'from=2026-01-10T00:00:00Z&to=2026-01-11T00:00:00Z&vmta=vmta1';
  await page.goto(`/records?${query}&limit=2`);
  await expect(visibleTestId(page, 'records-shown')).toHaveText('2 records on this page');
  const total = Number(
    (await visibleTestId(page, 'records-total').textContent())
      ?.match(/^([\d,]+) records match/)?.[1]
      .replaceAll(',', ''),
  );
  expect(total).toBeGreaterThan(2);
  const link = visibleTestId(page, 'records-csv');
  await expect(link).toHaveText(`Download CSV (all ${total})`);
  const downloading = page.waitForEvent('download');
  await link.click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('records-20260110T0000Z-20260111T0000Z.csv');
  const lines = readFileSync((await download.path())!, 'utf8')
    .trimEnd()
    .split('\r\n');
  expect(lines[0]).toMatch(/^recordId,timeLogged,type,/);
  // The records the API pages list, in their order (newest first). Complaints of vmta1's sending
  // IP are among them, as the count has them.
  const api = await (await page.request.get(`/api/v1/records?${query}&limit=500`)).json();
  expect(api.records).toHaveLength(total);
  expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(api.records.map((r: { id: string }) => r.id));
});

test('the records explorer searches diagnostics and shows every field of a record', async ({ page }) => {
  await page.goto('/records?from=2026-01-10T10:00:00Z&to=2026-01-10T11:00:00Z');
  await expect(visibleTestId(page, 'records-shown')).toHaveText('17 records on this page');
  await page.getByLabel('Diagnostic contains').fill('recipient invalid');
  await expect(page).toHaveURL(/q=recipient/);
  await expect(visibleTestId(page, 'records-shown')).toHaveText('1 record on this page');
  await page.locator('summary', { hasText: 'smtp;554 5.1.1' }).click();
  await expect(
    page.getByRole('region', { name: 'Records' }).getByRole('definition').filter({ hasText: 'bad-mailbox' }),
  ).toBeVisible();
  // Each type by its name, then PowerMTA's code as the Type column shows it.
  await expect(page.getByLabel('Record type').locator('option')).toHaveText([
    'All',
    'Delivered (d)',
    'Bounced (b)',
    'Deferred (t)',
    'Queue deferred (tq)',
    'Received (r)',
    'Complaints (f)',
    'Remote bounced (rb)',
    'Remote status (rs)',
  ]);
  await page.getByLabel('Record type').selectOption('f');
  await expect(visibleTestId(page, 'records-shown')).toHaveText('0 records on this page');
  // Pages go back in time, and one link leads back to the newest.
  await page.goto('/records?from=2026-01-10T10:00:00Z&to=2026-01-10T11:00:00Z&limit=5');
  const first = await page.getByRole('region', { name: 'Records' }).locator('tbody tr').first().textContent();
  await expect(page.getByRole('link', { name: '← Newest records' })).toHaveCount(0);
  await page.getByRole('link', { name: 'Older records →' }).click();
  await expect(visibleTestId(page, 'records-shown')).toHaveText('5 records on this page (continued)');
  await page.getByRole('link', { name: '← Newest records' }).click();
  await expect(visibleTestId(page, 'records-shown')).toHaveText('5 records on this page');
  await expect(page).not.toHaveURL(/cursor=/);
  await expect(page.getByRole('region', { name: 'Records' }).locator('tbody tr').first()).toHaveText(
    first ?? '',
  );
});

test('range presets live in the URL', async ({ page }) => {
  await page.goto('/?range=7d');
  await expect(page.getByRole('link', { name: '7d' })).toHaveAttribute('aria-current', 'page');
  await page.getByRole('link', { name: '1h' }).click();
  await expect(page).toHaveURL(/range=1h/);
  await expect(page.getByRole('link', { name: '1h' })).toHaveAttribute('aria-current', 'page');
});

test('Yesterday and Today are calendar days of the display zone, midnight to midnight', async ({ page }) => {
  // Tokyo keeps +09:00 all year: its midnights are 15:00Z.
  const DAY = 86_400_000;
  const offset = 9 * 3_600_000;
  const todayStart = Math.floor((Date.now() + offset) / DAY) * DAY - offset;
  test.skip(Date.now() - todayStart > DAY - 120_000, 'too near midnight in Tokyo: the day may turn mid-test');
  await page.goto('/?range=7d&tz=Asia/Tokyo');
  await page.getByRole('link', { name: 'Yesterday' }).click();
  await expect(page).toHaveURL(/range=yesterday/);
  await expect(page.getByRole('link', { name: 'Yesterday' })).toHaveAttribute('aria-current', 'page');
  const yesterday = [new Date(todayStart - DAY).toISOString(), new Date(todayStart).toISOString()];
  await expect(visibleTestId(page, 'range')).toHaveText(
    formatRange(yesterday[0], yesterday[1], 'Asia/Tokyo'),
  );
  await expect(visibleTestId(page, 'range')).toHaveAttribute(
    'title',
    new RegExp(`^${yesterday.join(' → ')}`),
  );
  // The screen counts what the API counts for that day.
  const api = await (
    await page.request.get(`/api/v1/stats/summary?from=${yesterday[0]}&to=${yesterday[1]}`)
  ).json();
  const preset = await (await page.request.get('/api/v1/stats/summary?range=yesterday&tz=Asia/Tokyo')).json();
  expect(preset.from).toBe(yesterday[0]);
  expect(preset.to).toBe(yesterday[1]);
  expect(preset.counts).toEqual(api.counts);
  await expect(visibleTestId(page, 'kpi-delivered')).toHaveText(api.counts.delivered.toLocaleString('en-US'));
  // Compared with the calendar day before (the fixtures' days are long past: none then).
  const fromNone = (n: number, phrase: string) =>
    n === 0 ? `no change: 0 ${phrase}` : `▲ +${n.toLocaleString('en-US')} vs 0 ${phrase}`;
  await expect(visibleTestId(page, 'change-delivered')).toHaveText(
    fromNone(api.counts.delivered, 'the day before'),
  );
  await page.getByRole('link', { name: 'Today' }).click();
  await expect(page).toHaveURL(/range=today/);
  // Today holds the records earlier tests appended, if any.
  const today = Number((await visibleTestId(page, 'kpi-delivered').textContent())?.replaceAll(',', ''));
  await expect(visibleTestId(page, 'change-delivered')).toHaveText(fromNone(today, 'yesterday by this time'));
  await expect(visibleTestId(page, 'range')).toHaveAttribute(
    'title',
    new RegExp(`^${new Date(todayStart).toISOString()} → `),
  );
});

test('the ingest status page lists files, offsets and the rejected lines with their reasons', async ({
  page,
}) => {
  await page.goto('/');
  await page.getByRole('link', { name: 'Ingest status' }).click();
  await expect(page.getByRole('heading', { name: 'Ingest status' })).toBeVisible();
  const files = page.getByRole('region', { name: 'Files' });
  const main = files.getByRole('row', { name: /acct-2026-01-10-0000\.csv/ });
  await expect(main).toContainText('e2e-mta');
  await expect(main.getByRole('cell').nth(6)).toHaveText('9');
  await expect(main.getByRole('cell').nth(7)).toHaveText('2');
  const rejects = page.getByRole('region', { name: 'Rejects' });
  await expect(rejects).toContainText('Rejected lines (2)');
  await expect(rejects).toContainText(/unknown record type/i);
  // Each reject names its host and file (the full path as a title): files of two hosts share names.
  const place = rejects.getByTestId('reject-place').first();
  await expect(place).toContainText(/^e2e-mta · acct-2026-01-10-0000\.csv @ byte [\d,]+$/);
  await expect(place.locator('span')).toHaveAttribute('title', /\/acct-2026-01-10-0000\.csv$/);
  // Both are listed: no "newest N" note.
  await expect(rejects.getByTestId('rejects-shown')).toHaveCount(0);
  const workers = page.getByRole('region', { name: 'Workers' });
  await expect(workers).toContainText('running');
  // A file's record count opens exactly the records read from it.
  await main.getByRole('link', { name: 'Records read from acct-2026-01-10-0000.csv: 9' }).click();
  await expect(page).toHaveURL(/\/records\?fileId=\d+&from=2026-01-10T10%3A0\dZ?/);
  await expect(visibleTestId(page, 'records-total')).toHaveText(
    '9 records match these filters in this range',
  );
  const chip = page.getByRole('list', { name: 'Also matching' }).getByRole('listitem');
  await expect(chip).toHaveText(/^file\s*e2e-mta · acct-2026-01-10-0000\.csv\s*✕$/);
  await page.goBack();
  // Its rejected lines: the rejects of that file only, said, with the way back to all of them.
  await main.getByRole('link', { name: 'Rejected lines of acct-2026-01-10-0000.csv: 2' }).click();
  await expect(page).toHaveURL(/\/ingest\?fileId=\d+#rejects$/);
  const ofFile = page.getByRole('region', { name: 'Rejects' });
  await expect(ofFile.getByRole('heading')).toHaveText(
    /^Rejected lines of e2e-mta · acct-2026-01-10-0000\.csv \(2\)\s*All rejected lines$/,
  );
  await expect(ofFile.getByRole('listitem')).toHaveCount(2);
  await ofFile.getByRole('link', { name: 'All rejected lines' }).click();
  await expect(page).toHaveURL(/\/ingest$/);
  // Its pace and what it has done since it started; the fixtures are read, so it has caught up.
  await expect(workers.getByTestId('worker-progress').first()).toHaveText(
    /^[\d,]+ records\/s \([\d.]+ (B|KiB|MiB)\/s\) over the last minute · [\d,]+ records?( and [\d,]+ rejected lines?)? since it started \d+ (s|min|h) ago · caught up$/,
  );
  // The screen follows the workers live, as the other screens follow the records.
  await expect(page.getByTestId('live-status')).toHaveText(/^Live/);
  await page.screenshot({ path: test.info().outputPath('ingest-status.png'), fullPage: true });
});

test('the ingest status page pages through the rejected lines, newest first', async ({ page }) => {
  const dir = process.env.E2E_ACCT_DIR;
  if (!dir) throw new Error('E2E_ACCT_DIR not set by the global setup');
  // 60 more malformed lines in a file of their own: 62 with the fixtures' 2. The screen listed the
  // 50 newest and had no way to the other 12.
  const lines = ['type,timeLogged,rcpt'];
  for (let i = 0; i < 60; i++) lines.push(`x,2026-01-10 10:05:00+0000,bad-${i}@example.com`);
  writeFileSync(path.join(dir, 'acct-2026-01-09-0000.csv'), `${lines.join('\n')}\n`);
  const rejects = page.getByRole('region', { name: 'Rejects' });
  await expect(async () => {
    await page.goto('/ingest');
    await expect(rejects).toContainText('Rejected lines (62)', { timeout: 500 });
  }).toPass({ timeout: 20_000 });
  await expect(rejects.getByTestId('rejects-shown')).toHaveText('The 50 newest are listed below.');
  await expect(rejects.getByRole('listitem')).toHaveCount(50);
  await expect(rejects.getByRole('listitem').first()).toContainText('bad-59@example.com');
  await expect(rejects.getByRole('link', { name: '← Newest rejects' })).toHaveCount(0);
  await rejects.getByRole('link', { name: 'Older rejects →' }).click();
  await expect(page).toHaveURL(/\/ingest\?cursor=/);
  await expect(rejects.getByTestId('rejects-shown')).toHaveText('12 older ones are listed below.');
  await expect(rejects.getByRole('listitem')).toHaveCount(12);
  // The last of the 60, then the fixtures' two, oldest last.
  await expect(rejects.getByRole('listitem').first()).toContainText('bad-9@example.com');
  await expect(rejects.getByRole('listitem').last()).toContainText('x,2026-01-10 10:05:00+0000,g@gmail.com');
  await expect(rejects.getByRole('link', { name: 'Older rejects →' })).toHaveCount(0);
  await rejects.getByRole('link', { name: '← Newest rejects' }).click();
  await expect(page).toHaveURL(/\/ingest$/);
  await expect(rejects.getByRole('listitem')).toHaveCount(50);
  await page.goto('/ingest?cursor=nope');
  await expect(page.getByRole('alert').filter({ hasText: 'Invalid' })).toHaveText(
    'Invalid cursor: cursor is not one this API returned',
  );
});

test('the ingest status page lists 200 files, those left to read first, and says how many more', async ({
  page,
}) => {
  // A year of a sender rotating its files every few minutes: 230 more, moved away long ago.
  const db = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL });
  await db.connect();
  try {
    await db.query(
      `INSERT INTO acct_file (source, path, dev, ino, status, "offset", size, records, ingested_at, seen_at)
       SELECT 'e2e-archive', '/var/log/pmta/archive/acct-' || i || '.csv', '9', i::text, 'gone', 10, 10, 1,
              now() - interval '1 year' + i * interval '5 minutes', now() - interval '1 year'
         FROM generate_series(1, 230) i`,
    );
    const [{ files, gone }] = (
      await db.query<{ files: string; gone: string }>(
        `SELECT count(*) AS files, count(*) FILTER (WHERE status = 'gone') AS gone FROM acct_file`,
      )
    ).rows;
    await page.goto('/ingest');
    const region = page.getByRole('region', { name: 'Files' });
    await expect(region.locator('tbody tr')).toHaveCount(200);
    const n = Number(files);
    await expect(region.getByRole('heading')).toContainText(`Files (${n.toLocaleString('en-US')},`);
    const note = region.getByTestId('files-listed');
    await expect(note).toContainText(
      `The 200 listed are those with bytes left to read, then the most recently read; ${n - 200} more are not listed`,
    );
    await expect(note).toContainText(`${Number(gone).toLocaleString('en-US')} gone`);
    // The fixtures' files were read last: they come before the archive.
    await expect(region.locator('tbody tr').first()).not.toContainText('e2e-archive');
    await expect(note.getByRole('link', { name: 'Every file, as JSON' })).toHaveAttribute(
      'href',
      '/api/v1/ingest/status',
    );
  } finally {
    await db.query(`DELETE FROM acct_file WHERE source = 'e2e-archive'`);
    await db.end();
  }
});

test('the live overview shows a newly appended record without a reload', async ({ page }) => {
  const dir = process.env.E2E_ACCT_DIR;
  if (!dir) throw new Error('E2E_ACCT_DIR not set by the global setup');
  await page.goto('/?refresh=2');
  await expect(visibleTestId(page, 'live-status')).toContainText(/Live|Updating/);
  const before = Number(await visibleTestId(page, 'kpi-delivered').textContent());
  appendFileSync(
    path.join(dir, 'acct-2026-01-10-0001.csv'),
    `d,${Math.floor(Date.now() / 1000)},orig@port25.com,live2@gmail.com,10.0.0.1,\r\n`,
  );
  await expect(visibleTestId(page, 'kpi-delivered')).toHaveText(String(before + 1), { timeout: 20_000 });
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(visibleTestId(page, 'live-status')).toHaveText('Live updates paused');
});

test('a live count opened later says how many records came after it was read', async ({ page }) => {
  const dir = process.env.E2E_ACCT_DIR;
  if (!dir) throw new Error('E2E_ACCT_DIR not set by the global setup');
  const file = path.join(dir, 'acct-2026-01-10-0001.csv');
  // Both records at one second, inside the minute the live range runs to.
  const at = Math.floor(Date.now() / 1000);
  const domain = 'shown-count.example';
  appendFileSync(file, `d,${at},orig@port25.com,one@${domain},10.0.0.1,\r\n`);
  await expect(async () => {
    await page.goto(`/?domain=${domain}`);
    await expect(visibleTestId(page, 'kpi-delivered')).toHaveText('1', { timeout: 500 });
  }).toPass({ timeout: 15_000 });
  await page.getByRole('button', { name: 'Pause' }).click();
  appendFileSync(file, `d,${at},orig@port25.com,two@${domain},10.0.0.1,\r\n`);
  await expect
    .poll(
      async () =>
        (await (await page.request.get(`/api/v1/stats/summary?domain=${domain}`)).json()).counts.delivered,
      {
        timeout: 15_000,
      },
    )
    .toBe(2);
  // The card still says 1 (paused); its link opens the 2 records its range holds now, and says why.
  await page.getByRole('link', { name: 'Delivered records: 1' }).click();
  await expect(visibleTestId(page, 'records-total')).toHaveText(
    '2 records match these filters in this range',
  );
  await expect(visibleTestId(page, 'records-shown-count')).toHaveText(
    '1 more than the count you opened (1): a record of this range ingested after it was read.',
  );
  // Another slice is not compared with that count: a window a minute longer holds the same 2
  // records, and says nothing of the 1. Nor is a list opened without a count.
  const opened = new URL(page.url());
  const from = opened.searchParams.get('from') ?? '';
  opened.searchParams.set('from', new Date(Date.parse(from) - 60_000).toISOString());
  await page.goto(opened.pathname + opened.search);
  await expect(visibleTestId(page, 'records-total')).toHaveText(
    '2 records match these filters in this range',
  );
  await expect(visibleTestId(page, 'records-shown-count')).toHaveCount(0);
  opened.searchParams.set('from', from);
  opened.searchParams.delete('shown');
  await page.goto(opened.pathname + opened.search);
  await expect(visibleTestId(page, 'records-total')).toHaveText(
    '2 records match these filters in this range',
  );
  await expect(visibleTestId(page, 'records-shown-count')).toHaveCount(0);
});

test('the records explorer of a range ending now lists new records as they come, on its first page only', async ({
  page,
}) => {
  const dir = process.env.E2E_ACCT_DIR;
  if (!dir) throw new Error('E2E_ACCT_DIR not set by the global setup');
  // Deliveries logged now, as the other live tests append: no fixed window of another test holds them.
  const append = (rcpt: string) =>
    appendFileSync(
      path.join(dir, 'acct-2026-01-10-0001.csv'),
      `d,${Math.floor(Date.now() / 1000)},orig@port25.com,${rcpt},10.0.0.1,\r\n`,
    );
  // Refreshes are the page's own data requests; prefetches of links are not.
  let refreshes = 0;
  let loads = 0;
  page.on('request', (r) => {
    const h = r.headers();
    if (h.rsc === '1' && !h['next-router-prefetch'] && new URL(r.url()).pathname === '/records') refreshes++;
  });
  // "The records since …" during an incident: a `from` and no `to`.
  await page.goto('/records?from=2026-01-10T00:00:00Z&tz=UTC&refresh=2&limit=5');
  page.on('load', () => loads++);
  const status = visibleTestId(page, 'live-status');
  await expect(status).toContainText(/Live ·|Updating/);
  const records = page.getByRole('region', { name: 'Records' });
  const total = async () =>
    Number((await visibleTestId(page, 'records-total').textContent())?.replace(/,/g, '').match(/^\d+/)?.[0]);
  const before = await total();
  append('live-records@gmail.com');
  await expect(records.getByRole('row', { name: /live-records@gmail\.com/ })).toBeVisible({
    timeout: 20_000,
  });
  expect(await total()).toBe(before + 1);
  expect(loads).toBe(0);
  // An older page stays still, and says why: its rows and its next cursor would move under the reader.
  await records.getByRole('link', { name: 'Older records →' }).click();
  await expect(page).toHaveURL(/[?&]cursor=/);
  await expect(status).toHaveText('Live updates paused: you are on an older page');
  const olderTotal = await total();
  const asked = refreshes;
  append('live-records-2@gmail.com');
  await page.waitForTimeout(5_000); // 2.5 refresh intervals
  expect(refreshes).toBe(asked);
  expect(await total()).toBe(olderTotal);
  await page.getByRole('link', { name: 'Newest records, live' }).click();
  await expect(page).not.toHaveURL(/cursor=/);
  await expect(status).toContainText(/Live ·|Updating/);
  await expect(records.getByRole('row', { name: /live-records-2@gmail\.com/ })).toBeVisible({
    timeout: 20_000,
  });
  // A search being typed keeps its text and its focus through the refreshes.
  const recipient = page.getByLabel('Recipient');
  await recipient.pressSequentially('live-records@gmail.com');
  await expect(page).toHaveURL(/[?&]rcpt=live-records%40gmail\.com/);
  const typed = refreshes;
  await expect.poll(() => refreshes, { timeout: 10_000 }).toBeGreaterThan(typed);
  await expect(status).toContainText('Live · updated');
  await expect(recipient).toBeFocused();
  await expect(recipient).toHaveValue('live-records@gmail.com');
  await expect(visibleTestId(page, 'records-shown')).toHaveText('1 record on this page');
  await expect(records.getByRole('row', { name: /live-records@gmail\.com/ })).toBeVisible();
  expect(loads).toBe(0);
});

/**
 * The live records explorer (`query` added to the records since the fixtures' day) in a short
 * window, where the list scrolls as a page of 50 records does on any screen; `append` logs
 * deliveries now, to these recipients.
 */
async function liveExplorer(page: Page, query = '') {
  const dir = process.env.E2E_ACCT_DIR;
  if (!dir) throw new Error('E2E_ACCT_DIR not set by the global setup');
  const append = (...rcpts: string[]) =>
    appendFileSync(
      path.join(dir, 'acct-2026-01-10-0001.csv'),
      rcpts.map((r) => `d,${Math.floor(Date.now() / 1000)},orig@port25.com,${r},10.0.0.1,\r\n`).join(''),
    );
  await page.setViewportSize({ width: 1280, height: 400 });
  await page.goto(`/records?from=2026-01-10T00:00:00Z&tz=UTC&refresh=2${query}`);
  const status = visibleTestId(page, 'live-status');
  await expect(status).toContainText(/Live ·|Updating/);
  return { append, status, records: page.getByRole('region', { name: 'Records' }) };
}

test('a record open in the live explorer stays open and in place; the newer records wait, counted, until asked for or it is closed', async ({
  page,
}) => {
  const { append, status, records } = await liveExplorer(page);
  // A refresh added the new records above the record being read and pushed it down the screen
  // (or off the page), under the eyes of someone reading its diagnostic during an incident.
  const row = records.locator('tbody tr').nth(2);
  const read = (await row.locator('td').nth(2).textContent()) ?? '';
  await row.locator('summary').click();
  const open = records.locator('details[open]');
  await expect(open).toHaveCount(1);
  await open.evaluate((el) => el.scrollIntoView({ block: 'center' }));
  await expect(status).toHaveText('Live updates paused while a record is open');
  const top = async () => (await open.boundingBox())?.y ?? Number.NaN;
  const placed = await top();
  append('held-1@gmail.com');
  // Not lost: counted, and shown on request.
  await expect(status).toHaveText('Live updates paused while a record is open · 1 newer record', {
    timeout: 20_000,
  });
  await page.waitForTimeout(4_000); // 2 refresh intervals
  await expect(records.getByRole('row', { name: /held-1@gmail\.com/ })).toHaveCount(0);
  await expect(open).toHaveCount(1);
  expect(await top()).toBe(placed);
  // The button is in the header, or in view when the header is scrolled away.
  const show = page.getByRole('button', { name: 'Show 1 newer record' });
  await show.scrollIntoViewIfNeeded();
  const shown = await top();
  await show.click();
  await expect(records.getByRole('row', { name: /held-1@gmail\.com/ })).toHaveCount(1);
  // The record came in above; the open one is still open, the same, where it was on screen.
  await expect(open).toHaveCount(1);
  await expect(records.locator('tbody tr:has(details[open])')).toContainText(read);
  expect(Math.abs((await top()) - shown)).toBeLessThanOrEqual(1);
  await expect(status).toHaveText('Live updates paused while a record is open');
  // Closed, the list is live again and what came meanwhile shows at once.
  append('held-2@gmail.com');
  await expect(status).toHaveText('Live updates paused while a record is open · 1 newer record', {
    timeout: 20_000,
  });
  await open.locator('summary').click();
  await expect(records.getByRole('row', { name: /held-2@gmail\.com/ })).toHaveCount(1, { timeout: 5_000 });
  await expect(status).toContainText(/Live ·|Updating/);
});

test('reading a record far down the live explorer, the held status and its newer records stay in view', async ({
  page,
}) => {
  const { append, status, records } = await liveExplorer(page);
  // The last row of the page: the header, with the status and its button, is scrolled away.
  const row = records.locator('tbody tr').last();
  const read = (await row.locator('td').nth(2).textContent()) ?? '';
  await row.locator('summary').click();
  const open = records.locator('details[open]');
  await open.evaluate((el) => el.scrollIntoView({ block: 'center' }));
  await expect(status).toHaveText('Live updates paused while a record is open');
  await expect(status).not.toBeInViewport();
  append('held-far@gmail.com');
  // Told where the reader is: the list is held and a record came, with the way to show it.
  const notice = page.getByRole('status', { name: 'Live updates' });
  await expect(notice).toBeInViewport();
  await expect(notice).toContainText('Live updates paused while a record is open · 1 newer record', {
    timeout: 20_000,
  });
  const show = page.getByRole('button', { name: 'Show 1 newer record' });
  await expect(show).toBeInViewport();
  const placed = (await open.boundingBox())?.y ?? Number.NaN;
  await show.click();
  await expect(records.getByRole('row', { name: /held-far@gmail\.com/ })).toHaveCount(1);
  await expect(records.locator('tbody tr:has(details[open])')).toContainText(read);
  expect(Math.abs(((await open.boundingBox())?.y ?? Number.NaN) - placed)).toBeLessThanOrEqual(1);
  await expect(notice).toHaveText(/^Live updates paused while a record is open\s*Update now$/);
  // Closed, the list is live again and nothing floats over it.
  await open.locator('summary').click();
  await expect(notice).toHaveCount(0);
});

test('newer records that push the open record off the live page say so, in view, and lead to it', async ({
  page,
}) => {
  const { append, status, records } = await liveExplorer(page, '&limit=5');
  // The third of five rows: three newer records push it to the sixth, off the page.
  const row = records.locator('tbody tr').nth(2);
  const read = (await row.locator('td').nth(2).textContent()) ?? '';
  await row.locator('summary').click();
  await expect(status).toHaveText('Live updates paused while a record is open');
  append('pushed-1@gmail.com', 'pushed-2@gmail.com', 'pushed-3@gmail.com');
  await expect(status).toHaveText('Live updates paused while a record is open · 3 newer records', {
    timeout: 20_000,
  });
  await page.getByRole('button', { name: 'Show 3 newer records' }).click();
  await expect(records.getByRole('row', { name: /pushed-1@gmail\.com/ })).toHaveCount(1);
  await expect(records.locator('tbody tr')).toHaveCount(5);
  // It left the page and live updates resumed (nothing is open): not without a word.
  const left = page.getByRole('status', { name: 'Open record' });
  await expect(left).toBeInViewport();
  await expect(left).toContainText(`The record you had open (`);
  await expect(left).toContainText(read);
  await left.getByRole('link', { name: 'Open it on its page' }).click();
  await expect(page).toHaveURL(/[?&]cursor=/);
  await expect(status).toHaveText('Live updates paused: you are on an older page');
  // The older page starts with it, open.
  await expect(records.locator('tbody tr').first()).toContainText(read);
  await expect(records.locator('tbody tr').first().locator('details')).toHaveAttribute('open', '');
  await expect(records.locator('details[open]')).toHaveCount(1);
});

test('filters live in the URL and change every panel', async ({ page }) => {
  await page.goto(FIXTURE_HOUR);
  await page.getByRole('toolbar', { name: 'Filters' }).getByLabel('Provider').selectOption('Microsoft');
  await expect(page).toHaveURL(/provider=Microsoft/);
  await expect(visibleTestId(page, 'kpi-delivered')).toHaveText('2');
  await expect(visibleTestId(page, 'kpi-complaints')).toHaveText('1');
  const url = page.url();
  await page.goto(url); // a copied link reproduces the screen
  await expect(visibleTestId(page, 'kpi-delivered')).toHaveText('2');
  await expect(page.getByRole('toolbar', { name: 'Filters' }).getByLabel('Provider')).toHaveValue(
    'Microsoft',
  );
  await page.getByRole('toolbar', { name: 'Filters' }).getByLabel('VirtualMTA').selectOption('vmta2');
  await expect(visibleTestId(page, 'kpi-delivered')).toHaveText('1');
  await expect(visibleTestId(page, 'kpi-complaints')).toHaveText('1');
  // "(none)": the records without a VirtualMTA (received mail, remote bounces…), as the API counts them.
  await page.getByRole('toolbar', { name: 'Filters' }).getByLabel('Provider').selectOption('');
  await expect(page).not.toHaveURL(/provider=/);
  await page.getByRole('toolbar', { name: 'Filters' }).getByLabel('VirtualMTA').selectOption('(none)');
  await expect(page).toHaveURL(/vmta=%28none%29/);
  const query = new URL(page.url()).searchParams;
  const api = await (await page.request.get(`/api/v1/stats/summary?${query}`)).json();
  expect(api.counts.received).toBeGreaterThan(0);
  await expect(visibleTestId(page, 'kpi-received')).toHaveText(String(api.counts.received));
  await expect(visibleTestId(page, 'kpi-delivered')).toHaveText(String(api.counts.delivered));
  await expect(visibleTestId(page, 'kpi-remote-bounced')).toHaveText(String(api.counts.remoteBounced));
});

test('KPI cards compare with the previous period of equal length', async ({ page }) => {
  // [10:04, 10:08) has 3 deliveries; [10:00, 10:04) had 4.
  await page.goto('/?from=2026-01-10T10:04:00Z&to=2026-01-10T10:08:00Z');
  await expect(visibleTestId(page, 'kpi-delivered')).toHaveText('3');
  await expect(visibleTestId(page, 'change-delivered')).toHaveText('▼ -25.00 % vs 4 in the previous period');
  // Each rate says its own change, in percentage points, against the previous period's rate: all 3
  // attempts delivered now, 2 of 3 then (1 bounce).
  for (const [slug, change, before] of [
    ['delivered', '▲ +33.33 pp', 'delivery rate 66.67 %'],
    ['bounced', '▼ -33.33 pp', 'bounce rate 33.33 %'],
  ] as const) {
    await expect(visibleTestId(page, `rate-change-${slug}`)).toHaveText(`(${change})`);
    await expect(visibleTestId(page, `rate-change-${slug}`)).toHaveAttribute(
      'title',
      `${before} in the previous period`,
    );
  }
  // The previous count opens its records: the 4 deliveries of [10:00, 10:04).
  await page.getByRole('link', { name: 'Delivered records in the previous period: 4' }).click();
  await expect(page).toHaveURL(
    /\/records\?.*from=2026-01-10T10%3A00%3A00.000Z&to=2026-01-10T10%3A04%3A00.000Z/,
  );
  await expect(visibleTestId(page, 'records-shown')).toHaveText('4 records on this page');
  // Against a period before the first record: no change, and why (it read "+177014.86 %" against
  // a previous period the records began within). The start named is the first record's minute.
  const db = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL });
  await db.connect();
  const { rows } = await db
    .query<{ first: string; start: Date }>(
      `SELECT to_char(date_trunc('minute', min(time_logged)) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS first,
              date_trunc('minute', min(time_logged)) AS start
         FROM acct_record`,
    )
    .finally(() => db.end());
  // The hour from the first record's minute (another spec may have ingested records before the
  // fixtures' hour): the hour before it holds none.
  const start = rows[0].start.getTime();
  await page.goto(
    `/?from=${new Date(start).toISOString()}&to=${new Date(start + 3_600_000).toISOString()}&tz=UTC`,
  );
  await expect(visibleTestId(page, 'change-delivered')).toHaveText(
    `– vs previous period (records start ${rows[0].first})`,
  );
});

test('a KPI card whose previous period had none says so, and the change in records', async ({ page }) => {
  // [10:16, 10:24) has the 2 complaints and no delivery; [10:08, 10:16) had neither. It read
  // "– vs previous period", the 0 hidden as if there were nothing to compare with (QA).
  await page.goto('/?from=2026-01-10T10:16:00Z&to=2026-01-10T10:24:00Z&tz=UTC');
  await expect(visibleTestId(page, 'kpi-complaints')).toHaveText('2');
  await expect(visibleTestId(page, 'change-complaints')).toHaveText('▲ +2 vs 0 in the previous period');
  await expect(visibleTestId(page, 'kpi-delivered')).toHaveText('0');
  await expect(visibleTestId(page, 'change-delivered')).toHaveText('no change: 0 in the previous period');
  // A previous count that is not 0 is still a percentage: the bounce at 10:08.
  await expect(visibleTestId(page, 'change-bounced')).toHaveText('▼ -100.00 % vs 1 in the previous period');
});

test('KPI cards compare with the same time a week before, chosen above the cards', async ({ page }) => {
  // [10:04, 10:08) on 17 January holds no record; the same minutes of 10 January hold 3 deliveries.
  const week = 'from=2026-01-17T10:04:00Z&to=2026-01-17T10:08:00Z&tz=UTC';
  const now = await (await page.request.get(`/api/v1/stats/summary?${week}`)).json();
  expect(now.counts.delivered).toBe(0);
  await page.goto(`/?${week}`);
  const toggle = page.getByRole('navigation', { name: 'Changes vs' });
  await expect(toggle.getByRole('link', { name: 'Previous period' })).toHaveAttribute('aria-current', 'true');
  await expect(visibleTestId(page, 'change-delivered')).toHaveText('no change: 0 in the previous period');
  await toggle.getByRole('link', { name: 'The same time last week' }).click();
  await expect(page).toHaveURL(/compare=week/);
  await expect(visibleTestId(page, 'change-delivered')).toHaveText(
    '▼ -100.00 % vs 3 the same time last week',
  );
  await expect(toggle.getByRole('link', { name: 'The same time last week' })).toHaveAttribute(
    'aria-current',
    'true',
  );
  // The choice is kept by the other screens' links (the nav), as the range is.
  await expect(
    page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Domains', exact: true }),
  ).toHaveAttribute('href', /compare=week/);
  // The week before's count opens its records: the 3 deliveries of 10 January, [10:04, 10:08).
  await page.getByRole('link', { name: 'Delivered records the same time last week: 3' }).click();
  await expect(page).toHaveURL(
    /\/records\?.*from=2026-01-10T10%3A04%3A00.000Z&to=2026-01-10T10%3A08%3A00.000Z/,
  );
  await expect(visibleTestId(page, 'records-shown')).toHaveText('3 records on this page');
  await page.goBack();
  await page
    .getByRole('navigation', { name: 'Changes vs' })
    .getByRole('link', { name: 'Previous period' })
    .click();
  await expect(page).not.toHaveURL(/compare=/);
  await expect(visibleTestId(page, 'change-delivered')).toHaveText('no change: 0 in the previous period');
  // Over 7 days a week before would overlap the range: the period before is compared, and said.
  await page.goto('/?from=2026-01-01T00:00:00Z&to=2026-01-31T00:00:00Z&tz=UTC&compare=week');
  await expect(page.getByRole('navigation', { name: 'Changes vs' })).toContainText(
    'The same time last week (ranges up to 7 days)',
  );
  await expect(visibleTestId(page, 'change-delivered')).toContainText('previous period');
});

test('a click on a chart bucket opens exactly the records of that bucket', async ({ page }) => {
  await page.goto(FIXTURE_HOUR);
  const chart = page.getByRole('region', { name: 'Records over time' });
  // The first minute bucket, 10:00–10:01, holds the two deliveries at 10:00:05 and 10:00:30.
  await chart.locator('.recharts-bar-rectangle:has(rect)').first().click();
  await expect(page).toHaveURL(/\/records\?.*from=2026-01-10T10:00:00.000Z&to=2026-01-10T10:01:00.000Z/);
  await expect(visibleTestId(page, 'records-shown')).toHaveText('2 records on this page');
});

test('a filtered chart bucket, on the overview and on a detail page, opens its records with the filters', async ({
  page,
}) => {
  // One hour bucket of Microsoft's records: the overview narrowed to Microsoft and Microsoft's own
  // page chart the same records, and each bar opens exactly them in the explorer.
  for (const url of [
    `${FIXTURE_HOUR}&provider=Microsoft&tz=UTC&bucket=hour`,
    '/providers/Microsoft?from=2026-01-10T10:00:00Z&to=2026-01-10T11:00:00Z&tz=UTC&bucket=hour',
  ]) {
    await page.goto(url);
    const chart = page.getByRole('region', { name: 'Records over time' });
    const bar = chart.locator('.recharts-bar-rectangle:has(rect)').first();
    await bar.hover();
    const cells = chart.locator('.recharts-tooltip-wrapper tr td:last-child');
    await expect(cells.first()).toBeVisible();
    const charted = (await cells.allTextContents()).reduce((n, t) => n + Number(t.replace(/,/g, '')), 0);
    expect(charted).toBeGreaterThan(0);
    await bar.click();
    await expect(page).toHaveURL(/\/records\?(.*&)?provider=Microsoft(&|$)/);
    await expect(page).toHaveURL(/from=2026-01-10T10:00:00.000Z&to=2026-01-10T11:00:00.000Z/);
    await expect(visibleTestId(page, 'records-total')).toHaveText(
      `${charted} record${charted === 1 ? '' : 's'} match${charted === 1 ? 'es' : ''} these filters in this range`,
    );
  }
});

test('the keyboard opens a chart bucket: arrows move between buckets, Enter opens one', async ({ page }) => {
  await page.goto(FIXTURE_HOUR);
  const chart = page.getByRole('region', { name: 'Records over time' });
  const plot = chart.getByRole('application');
  await plot.focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  const tooltip = chart.locator('.recharts-tooltip-wrapper');
  await expect(tooltip).toContainText('10 Jan, 10:02');
  // Enter did nothing: a keyboard user could read a bucket, not open its records.
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/records\?.*from=2026-01-10T10:02:00.000Z&to=2026-01-10T10:03:00.000Z/);
});

test('a bucket the range cuts counts, names and opens only its part of the range', async ({ page }) => {
  // From 10:00:20 the first minute bucket holds the delivery at 10:00:30, not the one at 10:00:05.
  await page.goto('/?from=2026-01-10T10:00:20Z&to=2026-01-10T10:02:00Z&tz=UTC&bucket=minute');
  const chart = page.getByRole('region', { name: 'Records over time' });
  const first = chart.locator('.recharts-bar-rectangle:has(rect)').first();
  await first.hover();
  const tooltip = chart.locator('.recharts-tooltip-wrapper');
  await expect(tooltip).toContainText(
    '10 Jan, 10:00, only 10 Jan 2026, 10:00:20 → 10 Jan 2026, 10:01:00 (UTC)',
  );
  await expect(tooltip.getByRole('row', { name: /^Delivered/ })).toContainText('1');
  await first.click();
  await expect(page).toHaveURL(/\/records\?.*from=2026-01-10T10:00:20.000Z&to=2026-01-10T10:01:00.000Z/);
  await expect(visibleTestId(page, 'records-shown')).toHaveText('1 record on this page');
  await expect(visibleTestId(page, 'records-total')).toHaveText(
    '1 record matches these filters in this range',
  );
});

test('a chart bucket stacks its record types; the legend hides and shows a type', async ({ page }) => {
  await page.goto(FIXTURE_HOUR);
  const chart = page.getByRole('region', { name: 'Records over time' });
  // 10:00–10:01 holds two deliveries and nothing else: one delivered segment.
  const first = chart.locator('.recharts-bar-rectangle').first();
  await expect(first.locator('rect')).toHaveCount(1);
  await expect(first.locator('rect')).toHaveAttribute('fill', RECORD_COLORS.delivered);
  await first.hover();
  const tooltip = chart.locator('.recharts-tooltip-wrapper');
  await expect(tooltip).toContainText('10 Jan, 10:00');
  await expect(tooltip.getByRole('row', { name: /^Delivered/ })).toContainText('2');
  await expect(tooltip.getByRole('row', { name: /^Bounced/ })).toContainText('0');

  const delivered = chart.getByRole('button', { name: 'Delivered' });
  await expect(delivered).toHaveAttribute('aria-pressed', 'true');
  await delivered.click();
  await expect(delivered).toHaveAttribute('aria-pressed', 'false');
  await expect(first.locator('rect')).toHaveCount(0);
  await delivered.click();
  await expect(first.locator('rect')).toHaveCount(1);
});

test.describe('a browser outside UTC', () => {
  test.use({ timezoneId: 'America/New_York' });

  test('hydrates every screen without an error, and offers its own zone', async ({ page }) => {
    // The filter bar used to draw the browser's zone during the first render, which the server
    // (in UTC) could not: React's hydration error #418 on every load.
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    for (const screen of ['/', '/providers', '/records', '/incidents']) {
      await page.goto(`${screen}?${FIXTURE_HOUR.slice(2)}&tz=UTC`);
      await expect(page.getByRole('toolbar', { name: 'Filters' })).toBeVisible();
      await expect(
        page
          .getByRole('combobox', { name: 'Time zone' })
          .locator('option', { hasText: 'America/New_York (browser)' }),
      ).toHaveCount(1);
    }
    expect(errors).toEqual([]);
  });
});

test.describe('a browser whose ICU names its zone by a retired alias', () => {
  test.use({ timezoneId: 'Asia/Kolkata' });

  test('gets the current name: Asia/Kolkata, not Asia/Calcutta', async ({ page }) => {
    // Chromium reports Asia/Calcutta for India (ICU keeps the alias IANA retired), and the screen
    // took that name into its URL and its time zone selector.
    expect(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)).toBe('Asia/Calcutta');
    await page.goto(`/?${FIXTURE_HOUR.slice(2)}`);
    await expect(page).toHaveURL(/[?&]tz=Asia%2FKolkata(&|$)/);
    const zone = page.getByRole('combobox', { name: 'Time zone' });
    await expect(zone).toHaveValue('Asia/Kolkata');
    await expect(zone.locator('option', { hasText: 'Asia/Kolkata (browser)' })).toHaveCount(1);
    await expect(zone.locator('option', { hasText: 'Calcutta' })).toHaveCount(0);
    await expect(zone.locator('option', { hasText: 'Europe/Kyiv' })).toHaveCount(1);
    await expect(zone.locator('option', { hasText: 'Europe/Kiev' })).toHaveCount(0);
  });
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('the main navigation is one row, its screens behind a Menu button a keyboard opens', async ({
    page,
  }) => {
    // Inline, the twelve links took four rows before the page started (QA).
    const query = 'from=2026-01-10T10:00:00Z&to=2026-01-10T11:00:00Z&tz=UTC';
    await page.goto(`/records?${query}`);
    const nav = page.getByRole('navigation', { name: 'Main' });
    const menu = nav.getByRole('button', { name: 'Menu' });
    const oneRow = async () => {
      const navBox = await nav.boundingBox();
      const rowBox = await menu.boundingBox();
      if (!navBox || !rowBox) throw new Error('the navigation is not laid out');
      // Its padding (12 px above and below) and one row as high as the Menu button.
      expect(navBox.height).toBeLessThanOrEqual(rowBox.height + 24 + 4);
      for (const name of ['acctscope', 'Dark mode']) {
        const box = await nav.getByRole(name === 'acctscope' ? 'link' : 'button', { name }).boundingBox();
        expect(
          Math.abs((box?.y ?? 0) + (box?.height ?? 0) / 2 - (rowBox.y + rowBox.height / 2)),
        ).toBeLessThan(6);
      }
    };
    await oneRow();
    await expect(nav.getByRole('link', { name: 'Suppressions', exact: true })).toHaveCount(0);
    await expect(menu).toHaveAttribute('aria-expanded', 'false');
    // By keyboard: Enter opens it, Tab reaches the first screen, Escape closes it and gives the
    // focus back to the button.
    await expect(menu).toBeEnabled(); // once hydrated
    await menu.focus();
    await page.keyboard.press('Enter');
    await expect(menu).toHaveAttribute('aria-expanded', 'true');
    const screens = [
      ['Overview', '/'],
      ['Domains', '/domains'],
      ['VirtualMTAs', '/vmtas'],
      ['Jobs', '/jobs'],
      ['Incidents', '/incidents'],
      ['Reasons', '/reasons'],
      ['Bounces', '/bounces'],
      ['Complaints', '/complaints'],
      ['Latency', '/latency'],
      ['Records', '/records'],
      ['Suppressions', '/suppressions'],
      ['Ingest status', '/ingest'],
    ] as const;
    await expect(nav.getByRole('link').filter({ hasNotText: 'acctscope' })).toHaveText(
      screens.map(([n]) => n),
    );
    await expect(nav.getByRole('link', { name: 'Records', exact: true })).toHaveAttribute(
      'aria-current',
      'page',
    );
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.keyboard.press('Tab');
    await expect(nav.getByRole('link', { name: 'Overview', exact: true })).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(menu).toHaveAttribute('aria-expanded', 'false');
    await expect(menu).toBeFocused();
    // Every screen is reachable from it, keeps the window, and is then the current one (from one
    // to the next: Ingest status, which keeps no window, comes last).
    for (const [name, pathname] of screens) {
      await menu.click();
      await nav.getByRole('link', { name, exact: true }).click();
      await expect(page).toHaveURL((url) => url.pathname === pathname);
      if (pathname !== '/ingest') await expect(page).toHaveURL(/from=2026-01-10T10%3A00%3A00Z/);
      await expect(menu).toHaveAttribute('aria-expanded', 'false');
      await oneRow();
      expect(await page.evaluate(() => document.documentElement.scrollWidth), name).toBeLessThanOrEqual(390);
      await menu.click();
      await expect(nav.getByRole('link', { name, exact: true })).toHaveAttribute('aria-current', 'page');
      // A click outside closes it (the page's right margin: the open menu covers the heading).
      await page.mouse.click(385, 600);
      await expect(menu).toHaveAttribute('aria-expanded', 'false');
    }
    // On a desktop, the links are inline as before, and there is no Menu button.
    await page.goto(`/records?${query}`);
    await page.setViewportSize({ width: 1440, height: 900 });
    await expect(menu).toBeHidden();
    await expect(nav.getByRole('link', { name: 'Ingest status', exact: true })).toBeVisible();
    await expect(nav.getByRole('link', { name: 'Records', exact: true })).toHaveAttribute(
      'aria-current',
      'page',
    );
  });

  test('the records explorer fits the screen: each record stacks its fields', async ({ page }) => {
    // The table was 950 px wide inside a scroll box: an on-call engineer scrolled sideways through
    // every record to read its recipient, status and diagnostic.
    await page.goto('/records?from=2026-01-10T10:00:00Z&to=2026-01-10T11:00:00Z&tz=UTC');
    await expect(visibleTestId(page, 'records-shown')).toHaveText('17 records on this page');
    const region = page.getByRole('region', { name: 'Records' });
    const overflow = await region.evaluate((el) => el.scrollWidth - el.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // Every field is still there, and a record's diagnostic still opens every field.
    const row = region.locator('tbody tr').filter({ hasText: 'smtp;554 5.1.1' });
    await expect(row).toBeVisible();
    await row.locator('summary').click();
    await expect(region.getByRole('definition').filter({ hasText: 'bad-mailbox' })).toBeVisible();
    expect(await region.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
  });
});
