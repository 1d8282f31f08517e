import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import pg from 'pg';
import { countName, visibleTestId } from './visible.ts';

const WINDOW = 'from=2026-01-10T10:00:00Z&to=2026-01-10T11:00:00Z&tz=UTC';

test('the complaints screen judges rates against the 0.1 % and 0.3 % limits', async ({ page }) => {
  await page.goto(`/complaints?${WINDOW}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Complaints' })).toBeVisible();
  await expect(visibleTestId(page, 'kpi-complaints')).toHaveText('2');
  await expect(visibleTestId(page, 'complaint-status')).toContainText('too few to judge');
  // A filter that leaves no delivery says so (it read 'No deliveries in this range.').
  await page.goto(`/complaints?${WINDOW}&domain=nothing.example`);
  await expect(visibleTestId(page, 'complaint-status')).toHaveText(
    'No deliveries in this range with these filters.',
  );
  await page.goto(`/complaints?${WINDOW}`);
  const chart = page.getByRole('region', { name: 'Complaint rate over time' });
  await expect(chart.locator('.recharts-reference-line')).toHaveCount(2);
  // The limits are named in a key under the plot, where the rate's line cannot cover their names.
  await expect(chart.getByRole('list', { name: 'Reference lines' }).getByRole('listitem')).toHaveText([
    '0.1 % keep under',
    '0.3 % limit',
  ]);
  await expect(chart.getByRole('application')).not.toContainText('limit');
  // The rate axis counts from 0 % in equal round steps, every label with the same decimals.
  const yLabels = await chart
    .locator('.recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value')
    .allTextContents();
  const yValues = yLabels.map((l) => Number(l.replace(/ %$/, '')));
  expect(yValues[0]).toBe(0);
  expect(yValues.length).toBeGreaterThanOrEqual(3);
  expect(new Set(yValues.slice(1).map((v, i) => (v - yValues[i]).toFixed(6))).size).toBe(1);
  expect(new Set(yLabels.map((l) => /\.(\d+)/.exec(l)?.[1].length ?? 0)).size).toBe(1);
  // A bucket's rate comes with the counts behind it: one complaint over a few deliveries reads high.
  const plot = chart.locator('.recharts-wrapper').first();
  await plot.scrollIntoViewIfNeeded();
  const box = await plot.boundingBox();
  if (!box) throw new Error('no chart surface');
  const tooltip = chart.locator('.recharts-tooltip-wrapper');
  let detail = '';
  for (let x = box.x + 80; x < box.x + box.width - 10 && !/ of [1-9]\d* delivered/.test(detail); x += 6) {
    await page.mouse.move(x, box.y + box.height / 2);
    detail = (await tooltip.textContent()) ?? '';
  }
  expect(detail).toMatch(/Complaint rate : \d+\.\d+ % \(\d+ of [1-9]\d* delivered\)/);
  const byProvider = page.getByRole('region', { name: 'By Provider' });
  await expect(byProvider.getByRole('row', { name: /^Microsoft/ })).toContainText(
    'too few deliveries to judge',
  );
  // With a lower volume floor the same slices are judged: 1 complaint on 2 deliveries is over 0.3 %.
  await page.goto(`/complaints?${WINDOW}&minDelivered=2`);
  await expect(byProvider.getByRole('row', { name: /^Microsoft/ })).toContainText('over 0.3 %');
  // A slice's name opens its page on the same window (without this screen's volume floor).
  const microsoft = byProvider.getByRole('link', { name: 'Microsoft', exact: true });
  await expect(microsoft).toHaveAttribute('href', /^\/providers\/Microsoft\?from=2026-01-10T10%3A00%3A00Z&/);
  await expect(microsoft).not.toHaveAttribute('href', /minDelivered/);
  await expect(
    page.getByRole('region', { name: 'By Job' }).getByRole('link', { name: 'job-2', exact: true }),
  ).toHaveAttribute('href', /^\/jobs\/job-2\?/);
  await expect(visibleTestId(page, 'complaint-status')).toContainText('Over 0.3 %');
  await page.screenshot({ path: test.info().outputPath('complaints.png'), fullPage: true });
  const link = byProvider.getByRole('link', { name: countName('Complaint records of Microsoft') });
  await expect(link).toHaveText('1');
  await link.click();
  await expect(visibleTestId(page, 'records-shown')).toHaveText('1 record on this page');

  // A point of the rate opens its bucket's complaints (QA: the chart's points opened nothing).
  await page.goto(`/complaints?${WINDOW}`);
  await plot.scrollIntoViewIfNeeded();
  const at = await plot.boundingBox();
  if (!at) throw new Error('no chart surface');
  let complaints = 0;
  let x = at.x + 80;
  for (; x < at.x + at.width - 10 && complaints === 0; x += 6) {
    await page.mouse.move(x, at.y + at.height / 2);
    complaints = Number(/\((\d+) of \d+ delivered\)/.exec((await tooltip.textContent()) ?? '')?.[1] ?? 0);
  }
  expect(complaints).toBeGreaterThan(0);
  const minute = /10 Jan, 10:(\d\d)/.exec((await tooltip.textContent()) ?? '')?.[1];
  expect(minute).toBeDefined();
  await page.mouse.click(x - 6, at.y + at.height / 2);
  const from = new Date(`2026-01-10T10:${minute}:00Z`);
  const to = new Date(from.getTime() + 60_000);
  await page.waitForURL((u) => u.pathname === '/records');
  const opened = new URL(page.url()).searchParams;
  expect(opened.getAll('type')).toEqual(['f']);
  expect([opened.get('from'), opened.get('to')]).toEqual([from.toISOString(), to.toISOString()]);
  await expect(visibleTestId(page, 'records-total')).toHaveText(
    `${complaints} ${complaints === 1 ? 'record matches' : 'records match'} these filters in this range`,
  );
});

test.describe('incidents', () => {
  // Detection itself runs against generated traffic in tests/integration/incidents-*.test.ts;
  // here a stored incident row checks how the screens show one.
  let db: pg.Client;
  let id: number;
  test.beforeAll(async () => {
    db = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL });
    await db.connect();
    const { rows } = await db.query(
      `INSERT INTO incident (slice_kind, provider, sender, metric, baseline_rate, current_rate, peak_rate, threshold,
                             events, volume, started_at, detected_at, evaluated_at, evidence)
       VALUES ('pool', 'Yahoo', 'pool-b', 'deferral', 0.02, 0.25, 0.25, 0.1, 1, 4,
               '2026-01-10T10:00:00Z', '2026-01-10T10:30:00Z', '2026-01-10T11:00:00Z', $1)
       RETURNING id`,
      [
        // The fixtures' template (without its key, as incidents opened before the key was kept):
        // the card links its count to the records giving it.
        JSON.stringify({
          template: '421 4.7.0 mx<n> Error: too many errors',
          sample: 'smtp;421 4.7.0 mx002 Error: too many errors',
          count: 1,
          of: 1,
          annotation: null,
        }),
      ],
    );
    id = rows[0].id;
  });
  test.afterAll(async () => {
    await db.query('DELETE FROM incident WHERE id = $1', [id]);
    await db.end();
  });

  test('an open incident is named on the overview and listed with its evidence and records', async ({
    page,
  }) => {
    await page.goto(`/?${WINDOW}`);
    const banner = page.getByRole('region', { name: 'Open incidents' });
    await expect(banner).toContainText('1 open incident: Yahoo × pool pool-b: deferral rate');
    await banner.getByRole('link', { name: 'See incidents' }).click();
    const card = page.getByRole('article', { name: 'Yahoo × pool pool-b: deferral rate' });
    await expect(card).toContainText('Open');
    // Each figure says its window: the last judged one, the one evidence was taken from, the records'.
    await expect(card.getByTestId('incident-rates')).toContainText(
      '25.00 % over the latest window judged (1 of 4, to 11:00; peak 25.00 %)',
    );
    await expect(card).toContainText(
      'Top reason when detected (1 of 1 deferral from 10:00 to 10:30): 421 4.7.0 mx<n> Error: too many errors',
    );
    await page.screenshot({ path: test.info().outputPath('incidents.png'), fullPage: true });
    // Stored before the reason's key was kept: its count opens the records giving it all the same.
    await card
      .getByRole('link', { name: '1 deferral of pool pool-b at Yahoo giving the top reason, 10:00–10:30' })
      .click();
    await expect(visibleTestId(page, 'records-total')).toHaveText(
      '1 record matches these filters in this range',
    );
    await page.goBack();
    // The link says the day as the card's start does ("since 10:00" was any day's, QA).
    await expect(card.getByRole('link', { name: 'The records since 10 Jan 2026, 10:00 →' })).toHaveAttribute(
      'href',
      /[?&]tz=UTC(&|$)/,
    );
    // While open, its records and its provider's page run up to now, the page live (with the end
    // of the moment the card was drawn they stood still there, QA).
    await card.getByRole('link', { name: 'The records since 10 Jan 2026, 10:00 →' }).click();
    await expect(page).toHaveURL(/\/records\?/);
    expect(new URL(page.url()).searchParams.get('from')).toBe('2026-01-10T10:00:00.000Z');
    expect(new URL(page.url()).searchParams.has('to')).toBe(false);
    await expect(visibleTestId(page, 'records-shown')).toHaveText('1 record on this page');
    await expect(page.getByRole('region', { name: 'Records' })).toContainText('DA@yahoo.fr');
    await page.goBack();
    await card.getByRole('link', { name: 'Yahoo in that window →' }).click();
    await expect(page).toHaveURL(
      /\/providers\/Yahoo\?from=2026-01-10T10%3A00%3A00\.000Z&tz=UTC&pool=pool-b$/,
    );
    await expect(visibleTestId(page, 'live-status')).toContainText('Live');
    await page.goto('/incidents?status=resolved');
    await expect(page.getByText('No resolved incident since')).toBeVisible();
  });

  test('a complaint incident names the sending IPs and jobs its complaints come from', async ({ page }) => {
    const { rows } = await db.query(
      `INSERT INTO incident (slice_kind, provider, sender, metric, baseline_rate, current_rate, peak_rate, threshold,
                             events, volume, started_at, detected_at, evaluated_at, resolved_at, evidence)
       VALUES ('pool', 'Google', 'pool-a', 'complaint', 0, 0.01, 0.01, 0.003, 1, 3,
               '2026-01-10T10:00:00Z', '2026-01-10T10:30:00Z', '2026-01-10T10:30:00Z', '2026-01-10T10:40:00Z', $1)
       RETURNING id`,
      [
        JSON.stringify({
          kind: 'complaint',
          of: 1,
          sourceIps: [{ key: '203.0.113.1', n: 1 }],
          jobs: [{ key: 'job-1', n: 1 }],
        }),
      ],
    );
    try {
      await page.goto('/incidents?status=resolved&since=2026-01-01T00:00:00Z&tz=UTC');
      const card = page.getByRole('article', { name: 'Google × pool pool-a: complaint rate' });
      await expect(card.getByTestId('complaint-sources')).toHaveText(
        'Where the 1 complaint from 10:00 to 10:30 come from: sending IP 203.0.113.1 (1); job job-1 (1).',
      );
      await card.getByRole('link', { name: '203.0.113.1 (1)' }).click();
      await expect(visibleTestId(page, 'records-total')).toHaveText(
        '1 record matches these filters in this range',
      );
      await expect(page.getByRole('region', { name: 'Records' })).toContainText('a@gmail.com');
    } finally {
      await db.query('DELETE FROM incident WHERE id = $1', [rows[0].id]);
    }
  });

  test('the incident list narrows by provider, pool and metric, with a way back', async ({ page }) => {
    await page.goto('/incidents?tz=UTC');
    const card = page.getByRole('article', { name: 'Yahoo × pool pool-b: deferral rate' });
    await expect(card).toBeVisible();
    // The choices are the slices that have had an incident.
    const filters = page.getByRole('toolbar', { name: 'Filters' });
    await filters.getByLabel('Pool').selectOption('pool-b');
    await expect(page).toHaveURL(/[?&]pool=pool-b/);
    await expect(card).toBeVisible();
    await page.getByRole('navigation', { name: 'Metric' }).getByRole('link', { name: 'Bounces' }).click();
    await expect(page).toHaveURL(/[?&]metric=bounce/);
    await expect(page.getByText('No incident matching these filters since')).toBeVisible();
    await expect(card).toHaveCount(0);
    await page.getByRole('link', { name: 'Show every incident' }).click();
    await expect(card).toBeVisible();
    await expect(page).not.toHaveURL(/pool=|metric=/);
    await filters.getByLabel('Provider').selectOption('Yahoo');
    await expect(page).toHaveURL(/[?&]provider=Yahoo/);
    await expect(card).toBeVisible();
  });

  test("a pool's card holds its VirtualMTAs' incidents of the same wave", async ({ page }) => {
    // vmta2 sends for pool-b (the fixtures' records say so); vmta9 has no records.
    const { rows } = await db.query(
      `INSERT INTO incident (slice_kind, provider, sender, metric, baseline_rate, current_rate, peak_rate, threshold,
                             events, volume, started_at, detected_at, evaluated_at, window_minutes)
       VALUES ('vmta', 'Yahoo', 'vmta2', 'deferral', 0.02, 0.3, 0.3, 0.1, 3, 10,
               '2026-01-10T10:05:00Z', '2026-01-10T10:30:00Z', '2026-01-10T11:00:00Z', 30),
              ('vmta', 'Yahoo', 'vmta9', 'deferral', 0.02, 0.4, 0.4, 0.1, 4, 10,
               '2026-01-10T10:05:00Z', '2026-01-10T10:30:00Z', '2026-01-10T11:00:00Z', NULL)
       RETURNING id`,
    );
    try {
      await page.goto('/incidents?tz=UTC');
      const pool = page.getByRole('article', { name: 'Yahoo × pool pool-b: deferral rate' });
      const members = pool.getByTestId('incident-members');
      await expect(members).toContainText(
        'One of its VirtualMTAs over the threshold in the same wave: vmta2 (open, 30.00 %)',
      );
      // Inside the pool's card until asked for; a VirtualMTA of no known pool keeps its own card.
      const vmta2 = page.getByRole('article', { name: 'Yahoo × vmta2: deferral rate' });
      await expect(vmta2).toHaveCount(0);
      await expect(page.getByRole('article', { name: 'Yahoo × vmta9: deferral rate' })).toBeVisible();
      await members.locator('summary').click();
      await expect(vmta2).toBeVisible();
      // The window judged is named when the monitor recorded it (not for incidents from before).
      await expect(vmta2.getByTestId('incident-rates')).toContainText(
        '30.00 % over the latest 30-min window judged',
      );
      await expect(
        page.getByRole('article', { name: 'Yahoo × vmta9: deferral rate' }).getByTestId('incident-rates'),
      ).toContainText('40.00 % over the latest window judged');
      // A full page says how many more there are, and lists them on request.
      await page.goto('/incidents?tz=UTC&limit=2');
      const shown = page.getByTestId('incidents-shown');
      await expect(pool).toHaveCount(0); // started first, so past the two listed
      await expect(shown).toHaveText(
        '2 of 3 incidents listed, open first, then the latest started. List all 3',
      );
      await shown.getByRole('link', { name: 'List all 3' }).click();
      await expect(page).toHaveURL(/[?&]limit=3(&|$)/);
      await expect(pool).toBeVisible();
      await expect(shown).toHaveCount(0);
      // Asked for by VirtualMTA, it is listed on its own.
      await page.goto('/incidents?tz=UTC&vmta=vmta2');
      await expect(vmta2).toBeVisible();
      await expect(pool).toHaveCount(0);
    } finally {
      await db.query('DELETE FROM incident WHERE id = ANY($1)', [rows.map((r) => r.id)]);
    }
  });
});

test('the bounces screen splits hard from soft and keeps remote bounces apart', async ({ page }) => {
  await page.goto(`/bounces?${WINDOW}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Bounces' })).toBeVisible();
  await expect(visibleTestId(page, 'kpi-hard-bounces')).toHaveText('1');
  await expect(visibleTestId(page, 'kpi-soft-bounces')).toHaveText('2');
  await expect(visibleTestId(page, 'kpi-message-expired')).toHaveText('0');
  await expect(visibleTestId(page, 'kpi-remote-bounces')).toHaveText('1');
  const categories = page.getByRole('region', { name: 'By bounce category' });
  await expect(categories.getByRole('row', { name: /^bad-mailbox/ })).toContainText('hard');
  await expect(categories.getByRole('row', { name: /^quota-issues/ })).toContainText('soft');
  await expect(
    page
      .getByRole('region', { name: 'Bounces over time' })
      .locator('.recharts-bar-rectangle:has(rect)')
      .first(),
  ).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('bounces.png'), fullPage: true });
  const yahoo = page
    .getByRole('region', { name: 'By Provider' })
    .getByRole('link', { name: 'Hard bounces of Yahoo' });
  await expect(yahoo).toHaveText('1');
  await expect(
    page.getByRole('region', { name: 'By Domain' }).getByRole('link', { name: 'yahoo.com', exact: true }),
  ).toHaveAttribute('href', /^\/domains\/yahoo\.com\?from=2026-01-10T10%3A00%3A00Z&/);
  await yahoo.click();
  await expect(visibleTestId(page, 'records-shown')).toHaveText('1 record on this page');
  await expect(page.getByRole('region', { name: 'Records' })).toContainText('c@yahoo.com');

  // A bar opens its bucket's bounces (b and rb); its soft part says it leaves expired ones out (QA).
  await page.goto(`/bounces?${WINDOW}`);
  const trend = page.getByRole('region', { name: 'Bounces over time' });
  const first = trend.locator('.recharts-bar-rectangle:has(rect)').first();
  await first.hover();
  const tooltip = trend.locator('.recharts-tooltip-wrapper');
  await expect(tooltip).toContainText('10 Jan, 10:01');
  await expect(tooltip.getByRole('row', { name: /^Hard/ })).toContainText('1');
  await expect(tooltip.getByRole('row', { name: /^Soft \(not expired\)/ })).toHaveCount(1);
  await first.click();
  await expect(page).toHaveURL(
    /\/records\?.*type=b&type=rb&.*from=2026-01-10T10:01:00.000Z&to=2026-01-10T10:02:00.000Z/,
  );
  await expect(visibleTestId(page, 'records-total')).toHaveText(
    '1 record matches these filters in this range',
  );
  await expect(page.getByRole('region', { name: 'Records' })).toContainText('c@yahoo.com');
});

/** Opens the link named `name` and checks the explorer's total is `n` records. */
async function opensRecords(page: Page, name: string, n: number) {
  await page
    .getByRole('link', { name: countName(name) })
    .first()
    .click();
  await expect(page).toHaveURL(/\/records\?/);
  await expect(visibleTestId(page, 'records-total')).toHaveText(
    `${n} ${n === 1 ? 'record matches' : 'records match'} these filters in this range`,
  );
}

test('every KPI card and class column opens exactly the records it counts', async ({ page }) => {
  const kpis: [string, string, string][] = [
    ['/', 'Delivered', 'delivered'],
    ['/', 'Bounced', 'bounced'],
    ['/', 'Deferred', 'deferred'],
    ['/', 'Complaints', 'complaints'],
    ['/', 'Queue deferred', 'queue-deferred'],
    ['/', 'Received', 'received'],
    ['/', 'Remote bounced', 'remote-bounced'],
    ['/', 'Remote status', 'remote-status'],
    ['/providers/Google', 'Delivered', 'delivered'],
    ['/bounces', 'Hard bounces', 'hard-bounces'],
    // Soft: every soft category of the range, "(none)" included, listed in the link.
    ['/bounces', 'Soft bounces', 'soft-bounces'],
    ['/bounces', 'Remote bounces', 'remote-bounces'],
    ['/complaints', 'Delivered', 'delivered'],
  ];
  let opened = 0;
  for (const [screen, label, slug] of kpis) {
    await page.goto(`${screen}?${WINDOW}`);
    const n = Number((await visibleTestId(page, `kpi-${slug}`).textContent())?.replaceAll(',', ''));
    if (n === 0) {
      await expect(page.getByRole('link', { name: countName(`${label} records`) })).toHaveCount(0);
      continue;
    }
    await opensRecords(page, `${label} records`, n);
    opened++;
  }
  expect(opened).toBeGreaterThanOrEqual(10);
  // A soft count of a provider row, and a complaint table's Delivered count.
  await page.goto(`/bounces?${WINDOW}`);
  const soft = page
    .getByRole('region', { name: 'By Provider' })
    .getByRole('link', { name: /^Soft bounces of / });
  const name = ((await soft.first().getAttribute('aria-label')) ?? '').replace(/: [\d,]+$/, '');
  const n = Number(await soft.first().textContent());
  expect(n).toBeGreaterThan(0);
  await opensRecords(page, name, n);
  // The categories the link listed are named, with a way to drop them (no control of their own).
  await expect(page.getByRole('list', { name: 'Also matching' })).toContainText(/bounce categor/);
  await page.goto(`/complaints?${WINDOW}`);
  const delivered = page
    .getByRole('region', { name: 'By Provider' })
    .getByRole('link', { name: countName('Delivered records of Google') });
  const g = Number(await delivered.textContent());
  expect(g).toBeGreaterThan(0);
  await opensRecords(page, 'Delivered records of Google', g);
  // A DSN code's row says its class and what the registry calls it, once per row; the classes'
  // meaning is said once under the table.
  await page.goto(`/bounces?${WINDOW}`);
  const dsn = page.getByRole('region', { name: 'By DSN status code' });
  await expect(dsn.getByRole('rowheader', { name: /^5\.1\.1/ })).toHaveText(
    '5.1.1 permanentBad destination mailbox address',
  );
  await expect(dsn.getByRole('rowheader', { name: /^4\.7\.0/ })).toHaveText(
    '4.7.0 transientOther or undefined security status',
  );
  await expect(dsn).toContainText('4.x.x transient: a deferral, or a bounce once the message expired');
  // A DSN code's count opens its records; the explorer names the code, and drops it on request.
  await page.getByRole('link', { name: countName('Bounced records with code 5.1.1') }).click();
  await expect(page).toHaveURL(/[?&]dsnCode=5\.1\.1(&|$)/);
  await expect(visibleTestId(page, 'records-shown')).toHaveText('1 record on this page');
  await expect(visibleTestId(page, 'records-total')).toHaveText(
    '1 record matches these filters in this range',
  );
  await expect(page.getByRole('region', { name: 'Records' })).toContainText('c@yahoo.com');
  const also = page.getByRole('list', { name: 'Also matching' });
  await expect(also).toContainText('DSN code5.1.1');
  await also.getByRole('link', { name: 'Without the DSN code filter' }).click();
  await expect(page).not.toHaveURL(/dsnCode/);
  await expect(visibleTestId(page, 'records-total')).toHaveText(
    '3 records match these filters in this range',
  );
});

test('the reasons screen groups diagnostics into annotated reasons whose counts open their records', async ({
  page,
}) => {
  await page.goto(`/reasons?${WINDOW}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Deferral and bounce reasons' })).toBeVisible();
  const table = page.getByRole('region', { name: 'Reasons' });
  await expect(table).toContainText('6 records');
  const invalid = table.getByRole('row', { name: /recipient invalid, sorry/ });
  await expect(invalid).toContainText('16.67 %');
  await expect(table.getByRole('row', { name: /mailbox full/ })).toBeVisible();
  await expect(table.getByRole('img', { name: /^Trend: records/ }).first()).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('reasons.png'), fullPage: true });
  await page
    .getByRole('navigation', { name: 'Record type' })
    .getByRole('link', { name: 'Deferred', exact: true })
    .click();
  await expect(page).toHaveURL(/type=t/);
  await expect(table).toContainText('1 record');
  await expect(table).not.toContainText('1 records');
  // A count's link names its reason by its text: it named the template's key, 16 hex digits (QA).
  const link = table.getByRole('link', {
    name: 'Deferred records with reason “421 4.7.0 mx<n> Error: too many errors”: 1',
    exact: true,
  });
  await expect(link).toHaveText('1');
  for (const a of await table.getByRole('link').all()) {
    expect(await a.getAttribute('aria-label')).not.toMatch(/[0-9a-f]{16}/);
  }
  await link.click();
  await expect(visibleTestId(page, 'records-shown')).toHaveText('1 record on this page');
  // The explorer counts a reason's records from the same rollups the reasons screen does.
  await expect(visibleTestId(page, 'records-total')).toHaveText(
    '1 record matches these filters in this range',
  );
  await expect(page.getByRole('region', { name: 'Records' })).toContainText('too many errors');
  // Without the type, the reason still selects only the deferral (no other record has its key).
  await page.goto(page.url().replace(/([?&])type=t(&|$)/, '$1'));
  await expect(visibleTestId(page, 'records-total')).toHaveText(
    '1 record matches these filters in this range',
  );
  await page.goto(`/reasons?${WINDOW}&type=tq`);
  const queues = page.getByRole('region', { name: 'Queue deferrals by queue' });
  await queues.getByRole('link', { name: 'Queue deferrals of bücher.de/vmta29' }).click();
  await expect(visibleTestId(page, 'records-shown')).toHaveText('1 record on this page');
  // A queue entry names its queue where other records name a recipient (a rollup queue's domain
  // part, yahoo.rollup, read as a recipient domain).
  await expect(
    page.getByRole('region', { name: 'Records' }).getByRole('row', { name: /10:09:00 tq / }),
  ).toContainText('queue bücher.de/vmta29');
  await expect(visibleTestId(page, 'records-total')).toHaveText(
    '1 record matches these filters in this range',
  );
  // The queue's top reason count opens that reason's records of the queue.
  await page.goto(`/reasons?${WINDOW}&type=tq`);
  const top = page
    .getByRole('region', { name: 'Queue deferrals by queue' })
    .getByRole('link', { name: 'Records of the top reason of queue bücher.de/vmta29' });
  await expect(top).toHaveText('1');
  await top.click();
  await expect(page).toHaveURL(/queue=b%C3%BCcher\.de%2Fvmta29/);
  await expect(page).toHaveURL(/template=/);
  await expect(visibleTestId(page, 'records-shown')).toHaveText('1 record on this page');
  await expect(visibleTestId(page, 'records-total')).toHaveText(
    '1 record matches these filters in this range',
  );
  // A filter the reasons are not kept by is explained, not an error page.
  await page.goto(`/reasons?${WINDOW}&job=job-1`);
  await expect(
    page.getByRole('region', { name: 'Reasons' }).getByTestId('insight-unavailable'),
  ).toBeVisible();
  // A window off the minute (the records of a chart bar have one) is offered widened to whole
  // minutes; its way out dropped the window, and the screen showed the last 24 hours.
  await page.goto('/reasons?from=2026-01-10T10%3A00%3A17.000Z&to=2026-01-10T10%3A59%3A45.000Z&tz=UTC');
  const reasons = page.getByRole('region', { name: 'Reasons' });
  await expect(reasons).toContainText('from must be on a whole minute');
  await reasons.getByRole('link', { name: 'Open this window widened to whole minutes →' }).click();
  await expect(page).toHaveURL(/from=2026-01-10T10%3A00%3A00\.000Z&to=2026-01-10T11%3A00%3A00\.000Z/);
  await expect(reasons).toContainText('6 records');
});

test('a filter the reasons are not kept by is named as the filter bar names it, and its link drops only it', async ({
  page,
}) => {
  // It said "sourceIp is not available for reasons/latency/DSN views. … clear the other filters to
  // see it", the API's parameter and advice for filters there were none of (QA).
  await page.goto(`/reasons?${WINDOW}&sourceIp=10.0.0.1`);
  const reasons = page.getByRole('region', { name: 'Reasons' });
  await expect(reasons.getByTestId('insight-unavailable')).toHaveText(
    'This view is kept per provider, domain, VirtualMTA and pool, not by Sending IP: it can be shown without the Sending IP filter, for the same range.',
  );
  await expect(reasons).not.toContainText('sourceIp');
  await expect(reasons).not.toContainText('other filters');
  // Two of them beside one the reasons are kept by: the link drops both, and keeps the range and
  // the provider.
  await page.goto(`/reasons?${WINDOW}&sourceIp=10.0.0.1&job=job-1&provider=Yahoo`);
  await expect(reasons.getByTestId('insight-unavailable')).toHaveText(
    'This view is kept per provider, domain, VirtualMTA and pool, not by Sending IP and Job: it can be shown without the Sending IP and Job filters, for the range and the Provider filter.',
  );
  await reasons
    .getByRole('link', { name: 'Open this screen without the Sending IP and Job filters →' })
    .click();
  await expect(page).not.toHaveURL(/[?&](sourceIp|job)=/);
  const url = new URL(page.url());
  expect(url.searchParams.get('provider')).toBe('Yahoo');
  expect(url.searchParams.get('from')).toBe('2026-01-10T10:00:00Z');
  expect(url.searchParams.get('to')).toBe('2026-01-10T11:00:00Z');
  await expect(reasons.getByRole('row', { name: /recipient invalid, sorry/ })).toBeVisible();
});

test("the reasons screen's top providers open their records of the reason", async ({ page }) => {
  await page.goto(`/reasons?${WINDOW}`);
  const invalid = page
    .getByRole('region', { name: 'Reasons' })
    .getByRole('row', { name: /recipient invalid, sorry/ });
  // The provider's count (it was plain text, the one count of the screen without a link) opens
  // exactly its records of the reason.
  const yahoo = invalid.getByRole('link', { name: 'Records of Yahoo with this reason: 1' });
  await expect(yahoo).toHaveText('1');
  await yahoo.click();
  await expect(page).toHaveURL(/provider=Yahoo/);
  await expect(page).toHaveURL(/template=/);
  await expect(visibleTestId(page, 'records-shown')).toHaveText('1 record on this page');
  await expect(visibleTestId(page, 'records-total')).toHaveText(
    '1 record matches these filters in this range',
  );
  await expect(page.getByRole('region', { name: 'Records' })).toContainText('recipient invalid');
  // With a type chosen, the link keeps it.
  await page.goto(`/reasons?${WINDOW}&type=t`);
  const deferrals = page.getByRole('region', { name: 'Reasons' });
  await deferrals.getByRole('link', { name: 'Records of Yahoo with this reason: 1' }).click();
  await expect(page).toHaveURL(/type=t(&|$)/);
  await expect(visibleTestId(page, 'records-total')).toHaveText(
    '1 record matches these filters in this range',
  );
});

test("a reason's trend has its record type's colour", async ({ page }) => {
  await page.goto(`/reasons?${WINDOW}`);
  const table = page.getByRole('region', { name: 'Reasons' });
  // One colour per record type, as the charts and legends draw them (lib/acct/record-colors.ts):
  // every trend was the deferrals' amber, a bounce reason's too.
  const stroke = (name: RegExp) =>
    table
      .getByRole('row', { name })
      .getByRole('img', { name: /^Trend: records/ })
      .locator('polyline');
  await expect(stroke(/recipient invalid, sorry/)).toHaveAttribute('stroke', '#dc2626');
  await expect(stroke(/too many errors/)).toHaveAttribute('stroke', '#d97706');
  await expect(stroke(/mailbox full/)).toHaveAttribute('stroke', '#db2777');
  await page.goto(`/reasons?${WINDOW}&type=b`);
  await expect(stroke(/recipient invalid, sorry/)).toHaveAttribute('stroke', '#dc2626');
});

test('under a pool, the reasons screen says queue deferrals cannot be selected rather than that none happened', async ({
  page,
}) => {
  await page.goto(`/reasons?${WINDOW}`);
  const queues = page.getByRole('region', { name: 'Queue deferrals by queue' });
  await expect(queues.getByRole('link', { name: 'Queue deferrals of bücher.de/vmta29: 1' })).toBeVisible();
  await expect(queues.getByTestId('queue-count')).toHaveText('1 queue');
  // PowerMTA logs tq rows without a pool: under one, "No queue deferrals in this range" read as
  // none having happened, beside the summary's "not selectable by pool".
  await page.goto(`/reasons?${WINDOW}&pool=pool-b`);
  await expect(queues.getByTestId('tq-unselectable')).toHaveText(
    'Queue deferrals (tq) are not selectable by pool: they name a queue, and PowerMTA logs them without one.',
  );
  await expect(queues).not.toContainText('No queue deferrals');
  // Nor a count of them beside it: "0 queues" (QA).
  await expect(queues.getByTestId('queue-count')).toHaveCount(0);
  await expect(queues).not.toContainText('0 queues');
  await page.goto(`/reasons?${WINDOW}&pool=pool-b&type=tq`);
  await expect(page.getByRole('region', { name: 'Reasons' }).getByTestId('tq-unselectable')).toBeVisible();
  // A pool's own reasons are still listed.
  await page.goto(`/reasons?${WINDOW}&pool=pool-b&type=t`);
  await expect(page.getByRole('region', { name: 'Reasons' })).toContainText('too many errors');
});

test('the latency screen’s counts open exactly the timed deliveries they count', async ({ page }) => {
  await page.goto(`/latency?${WINDOW}`);
  // The card: every timed delivery of the window, named in the explorer with a way to drop it.
  await opensRecords(page, 'Deliveries timed records', 3);
  await expect(page).toHaveURL(/[?&]latency=timed(&|$)/);
  const records = page.getByRole('region', { name: 'Records' });
  await expect(records.getByRole('row')).toHaveCount(4);
  for (const type of await records.locator('tbody tr td:nth-child(2)').allTextContents()) {
    expect(type).toBe('d');
  }
  const also = page.getByRole('list', { name: 'Also matching' });
  await expect(also).toContainText('latencytimed deliveries');
  await also.getByRole('link', { name: 'Without the latency filter' }).click();
  await expect(page).not.toHaveURL(/latency/);
  await expect(visibleTestId(page, 'records-total')).not.toHaveText(/^3 records match/);
  // A breakdown row's count: its deliveries only.
  for (const [region, name] of [
    ['By Provider', 'Timed deliveries of Google'],
    ['By VirtualMTA', 'Timed deliveries of vmta1'],
    ['By Pool', 'Timed deliveries of pool-a'],
  ]) {
    await page.goto(`/latency?${WINDOW}`);
    const link = page.getByRole('region', { name: region }).getByRole('link', { name: countName(name) });
    const n = Number(await link.textContent());
    expect(n).toBeGreaterThan(0);
    await opensRecords(page, name, n);
  }
  // A percentile card opens the deliveries slower than its bound: none are slower than p50's 30 s.
  await page.goto(`/latency?${WINDOW}`);
  await page.getByRole('region', { name: 'p50' }).getByRole('link', { name: 'Slower than 30 s →' }).click();
  await expect(page).toHaveURL(/[?&]latencyOver=30000(&|$)/);
  await expect(visibleTestId(page, 'records-total')).toHaveText(
    '0 records match these filters in this range',
  );
  await expect(page.getByRole('list', { name: 'Also matching' })).toContainText(
    'timed deliveries slower than 30 s',
  );
  // A bucket of the chart: its tooltip says how many deliveries it is read from; a click opens them.
  await page.goto(`/latency?${WINDOW}&bucket=minute`);
  const chart = page.getByRole('region', { name: 'Latency over time' });
  const plot = chart.locator('.recharts-wrapper').first();
  await plot.scrollIntoViewIfNeeded();
  const box = await plot.boundingBox();
  if (!box) throw new Error('no chart surface');
  const tooltip = chart.locator('.recharts-tooltip-wrapper');
  let detail = '';
  let x = box.x + 80;
  for (; x < box.x + box.width - 10 && !/ · [1-9]\d* timed deliver/.test(detail); x += 3) {
    await page.mouse.move(x, box.y + box.height / 2);
    detail = (await tooltip.textContent()) ?? '';
  }
  const shown = / · ([1-9]\d*) timed deliver/.exec(detail);
  if (!shown) throw new Error(`no bucket with timed deliveries: ${detail}`);
  await page.mouse.click(x - 3, box.y + box.height / 2);
  await expect(page).toHaveURL(/\/records\?.*latency=timed/);
  const n = Number(shown[1]);
  await expect(visibleTestId(page, 'records-total')).toHaveText(
    `${n} ${n === 1 ? 'record matches' : 'records match'} these filters in this range`,
  );
});

test('the latency screen shows delivery percentiles from the rollups', async ({ page }) => {
  await page.goto(`/latency?${WINDOW}`);
  await expect(visibleTestId(page, 'kpi-deliveries-timed')).toHaveText('3');
  // The other deliveries of the hour come from files whose header has no timeQueued column.
  await expect(visibleTestId(page, 'latency-base')).toHaveText(
    '3 of 7 deliveries timed: 4 have no valid timeQueued (or were ingested before latency was kept) and are not in the percentiles.',
  );
  await expect(visibleTestId(page, 'latency-p50')).toHaveText('≤ 30 s');
  const byProvider = page.getByRole('region', { name: 'By Provider' });
  await expect(byProvider.getByRole('row', { name: /^Google/ })).toContainText('2');
  // Its percentiles read as bounds, as the cards do.
  await expect(
    byProvider.getByRole('row', { name: /^Google/ }).getByRole('cell', { name: /^≤ / }),
  ).toHaveCount(3);
  await byProvider.getByRole('link', { name: 'Google', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Provider Google' })).toBeVisible();
  await expect(visibleTestId(page, 'kpi-delivered')).toHaveText('3');
  await page.goBack();
  const chart = page.getByRole('region', { name: 'Latency over time' });
  await expect(chart.locator('svg.recharts-surface').first()).toBeVisible();
  // A symlog axis of round durations up to the first at or above the largest percentile (30 s).
  const ticks = chart.locator('.recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value');
  await expect(ticks).toHaveText(['0', '1 s', '10 s', '1 min']);
  await expect(chart.locator('.recharts-line-curve')).toHaveCount(3);
  // The tooltip reads a percentile as the cards do, at most its bucket's bound (it showed '30 s').
  const plot = chart.locator('.recharts-wrapper').first();
  const box = await plot.boundingBox();
  if (!box) throw new Error('no chart surface');
  const tooltip = chart.locator('.recharts-tooltip-wrapper');
  let detail = '';
  for (let x = box.x + 80; x < box.x + box.width - 10 && !/p50 : ≤ /.test(detail); x += 4) {
    await page.mouse.move(x, box.y + box.height / 2);
    detail = (await tooltip.textContent()) ?? '';
  }
  expect(detail).toMatch(/p50 : ≤ \d+ s/);
  await page.screenshot({ path: test.info().outputPath('latency.png'), fullPage: true });
  // A filter that leaves no delivery says so (it read 'No deliveries in this range.').
  await page.goto(`/latency?${WINDOW}&domain=nothing.example`);
  await expect(visibleTestId(page, 'latency-base')).toHaveText(
    'No deliveries in this range with these filters.',
  );
});

test('a table that lists only its largest rows says how many of how many, so its rows are not read as all', async ({
  page,
}) => {
  const dir = process.env.E2E_ACCT_DIR;
  if (!dir) throw new Error('E2E_ACCT_DIR not set by the global setup');
  // An hour of its own, the day before the fixtures (so outside the live explorer's window from
  // 10 January, and, soft bounces, outside the suppressions): 60 bounces, each with a status code
  // (and so a reason) of its own, and 25 queue deferrals without a diagnostic, each of its own queue. The DSN codes listed 20 of the 60,
  // the reasons 50 of 61 and the queues 20 of 25, each with nothing to say so: the reasons panel's
  // "85 records" beside rows that add up to 74 (QA, a daily report's yesterday: 4,914 vs 4,772);
  // so did the latency screen's tables, 15 of each.
  const bounces = ['type,timeLogged,orig,rcpt,dsnStatus,dsnDiag,bounceCat,vmta'];
  for (let i = 0; i < 60; i++) {
    const code = `5.${Math.floor(i / 10)}.${i % 10}`;
    bounces.push(
      `b,2026-01-09 09:00:${String(i % 60).padStart(2, '0')}+0000,o@s.example,u${i}@topof.example,${code} (refused),smtp;550 ${code} refused here,quota-issues,vmta1`,
    );
  }
  const queued = ['type,timeLogged,dsnStatus,dsnDiag,dsnMta,dlvType,dlvSourceIp,dlvDestinationIp,vmta,queue'];
  for (let i = 0; i < 25; i++)
    queued.push(
      `tq,2026-01-09 09:01:00+0000,4.4.1 (no answer from host),,,smtp,0.0.0.0,,vmta1,q${i}.topof.example/vmta1`,
    );
  writeFileSync(path.join(dir, 'acct-2026-01-09-0000.csv'), `${bounces.join('\r\n')}\r\n`);
  writeFileSync(path.join(dir, 'acct-tq-2026-01-09-0000.csv'), `${queued.join('\r\n')}\r\n`);
  // And 16 timed deliveries, each to a domain of its own: the latency screen lists 15 per table.
  const delivered = ['type,timeLogged,timeQueued,rcpt,vmta'];
  for (let i = 0; i < 16; i++)
    delivered.push(`d,2026-01-09 09:02:00+0000,2026-01-09 09:01:58+0000,u@d${i}.topof.example,vmta1`);
  writeFileSync(path.join(dir, 'acct-2026-01-09-0001.csv'), `${delivered.join('\r\n')}\r\n`);
  const window = 'from=2026-01-09T09:00:00Z&to=2026-01-09T10:00:00Z&tz=UTC';
  await expect(async () => {
    await page.goto(`/bounces?${window}`);
    await expect(visibleTestId(page, 'kpi-soft-bounces')).toHaveText('60', { timeout: 500 });
  }).toPass({ timeout: 20_000 });
  const codes = page.getByRole('region', { name: 'By DSN status code' });
  await expect(codes.locator('tbody tr')).toHaveCount(20);
  await expect(codes.getByTestId('top-of')).toHaveText('Top 20 of 60 codes');
  await expect(async () => {
    await page.goto(`/reasons?${window}`);
    await expect(page.getByRole('region', { name: 'Queue deferrals by queue' })).toContainText('25 queues', {
      timeout: 500,
    });
  }).toPass({ timeout: 20_000 });
  const reasons = page.getByRole('region', { name: 'Reasons' });
  await expect(reasons).toContainText('85 records');
  await expect(reasons.locator('tbody > tr')).toHaveCount(50);
  await expect(reasons.getByTestId('top-of')).toHaveText('Top 50 of 61 reasons: 74 of the 85 records');
  const queues = page.getByRole('region', { name: 'Queue deferrals by queue' });
  await expect(queues.locator('tbody tr')).toHaveCount(20);
  await expect(queues.getByTestId('top-of')).toHaveText('Top 20 of 25 queues');
  // A detail page's top diagnostics (10) say the same of the VirtualMTA's reasons.
  await page.goto(`/vmtas/vmta1?${window}`);
  const diagnostics = page.getByRole('region', { name: 'Top diagnostics' });
  await expect(diagnostics.locator('tbody > tr')).toHaveCount(10);
  await expect(diagnostics.getByTestId('top-of')).toHaveText('Top 10 of 61 reasons');
  await expect(async () => {
    await page.goto(`/latency?${window}`);
    await expect(page.getByRole('region', { name: 'By Domain' }).locator('tbody tr')).toHaveCount(15, {
      timeout: 500,
    });
  }).toPass({ timeout: 20_000 });
  await expect(page.getByRole('region', { name: 'By Domain' }).getByTestId('top-of')).toHaveText(
    'Top 15 of 16',
  );
  await expect(page.getByRole('region', { name: 'By Provider' }).getByTestId('top-of')).toHaveCount(0);
  // A table that lists every row says nothing more.
  await page.goto(`/bounces?${WINDOW}`);
  await expect(
    page.getByRole('region', { name: 'By DSN status code' }).locator('tbody tr').first(),
  ).toBeVisible();
  await expect(page.getByTestId('top-of')).toHaveCount(0);
});
