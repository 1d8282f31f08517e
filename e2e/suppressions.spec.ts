import { expect, test } from '@playwright/test';
import { visibleTestId } from './visible.ts';

const SINCE = 'since=2026-01-10T00:00:00Z&tz=UTC';

test('the suppressions screen lists the fixtures’ suppressed recipients, traceable to their records', async ({
  page,
}) => {
  await page.goto(`/suppressions?${SINCE}`);
  await expect(page.getByRole('heading', { name: 'Suppressions', level: 1 })).toBeVisible();
  await expect(visibleTestId(page, 'suppressions-total')).toHaveText('2');
  await expect(visibleTestId(page, 'suppressions-hard-bounce')).toHaveText('1');
  await expect(visibleTestId(page, 'suppressions-remote-bounce')).toHaveText('1');
  await expect(visibleTestId(page, 'suppressions-complaint')).toHaveText('0');

  const list = page.getByRole('region', { name: 'Suppressions', exact: true });
  await expect(visibleTestId(page, 'suppressions-shown')).toContainText('2 recipients on this page');
  const rows = list.locator('tbody tr');
  await expect(rows).toHaveCount(2);
  // The soft bounces, the JMRP report without a recipient and a@gmail.com's complaint (after its
  // rb) are not entries.
  await expect(rows.nth(0).getByRole('cell')).toHaveText([
    '2026-01-10 10:01:10',
    'c@yahoo.com',
    'hard bounce',
    'bad-mailbox · 5.1.1 (bad destination mailbox address)',
    'smtp;554 5.1.1 <c@yahoo.com>: recipient invalid, sorry',
    'vmta2',
    '1',
  ]);
  await expect(rows.nth(1).getByRole('cell')).toHaveText([
    '2026-01-10 10:11:00',
    'a@gmail.com',
    'remote bounce',
    'quota-issues · 5.2.2 (mailbox full)',
    'smtp;552 5.2.2 mailbox full',
    '',
    '2',
  ]);
  await expect(list.getByRole('link', { name: 'Newer →' })).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('suppressions.png'), fullPage: true });

  // a@gmail.com: its suppression events, the rb and the later complaint, from the minute of the
  // rb on; its Events figure opens the same records.
  const events = list.getByRole('link', { name: '2 suppression events of a@gmail.com' });
  const eventsHref = await events.getAttribute('href');
  await list.getByRole('link', { name: 'a@gmail.com', exact: true }).click();
  await expect(page).toHaveURL(
    /\/records\?rcpt=a%40gmail\.com&suppression=events&from=2026-01-10T10%3A11%3A00\.000Z&to=/,
  );
  expect(page.url()).toContain(eventsHref);
  await expect(page.getByRole('list', { name: 'Also matching' })).toContainText(
    'events (hard bounces, remote bounces, complaints)',
  );
  await expect(visibleTestId(page, 'records-shown')).toHaveText('2 records on this page');
  // The total is its Events figure, counted from the raw rows (a recipient's list had no total).
  await expect(visibleTestId(page, 'records-total')).toHaveText(
    '2 records match these filters in this range',
  );
  const records = page.getByRole('region', { name: 'Records' }).locator('tbody tr');
  await expect(records.nth(0).getByRole('cell').nth(1)).toHaveText('f');
  await expect(records.nth(1).getByRole('cell').nth(1)).toHaveText('rb');
});

test('each by-reason count opens as many first events in the records explorer', async ({ page }) => {
  for (const [testId, count, type] of [
    ['suppressions-total', '2', null],
    ['suppressions-hard-bounce', '1', 'b'],
    ['suppressions-remote-bounce', '1', 'rb'],
    ['suppressions-complaint', '0', 'f'],
  ] as const) {
    await page.goto(`/suppressions?${SINCE}`);
    await visibleTestId(page, testId).getByRole('link', { name: count, exact: true }).click();
    await expect(page).toHaveURL(/\/records\?suppression=first&/);
    if (type) await expect(page).toHaveURL(new RegExp(`[?&]type=${type}&`));
    else expect(new URL(page.url()).searchParams.has('type')).toBe(false);
    await expect(page.getByRole('list', { name: 'Also matching' })).toContainText(
      "each recipient's first event",
    );
    await expect(visibleTestId(page, 'records-total'), testId).toHaveText(
      `${count} ${count === '1' ? 'record matches' : 'records match'} these filters in this range`,
    );
    await expect(visibleTestId(page, 'records-shown'), testId).toHaveText(
      `${count} ${count === '1' ? 'record' : 'records'} on this page`,
    );
  }
});

test('the CSV link downloads the same entries', async ({ page }) => {
  await page.goto(`/suppressions?${SINCE}`);
  const href = await page.getByRole('link', { name: 'Download CSV' }).getAttribute('href');
  expect(href).toMatch(/^\/api\/v1\/suppressions\?/);
  const res = await page.request.get(href ?? '');
  expect(res.status()).toBe(200);
  expect(res.headers()['content-type']).toBe('text/csv; charset=utf-8');
  expect(res.headers()['content-disposition']).toBe('attachment; filename=suppressions.csv');
  const lines = (await res.text()).split('\r\n').filter(Boolean);
  expect(lines[0]).toMatch(/^rcpt,rcptDomain,reason,time,/);
  expect(lines.slice(1).map((l) => l.split(',').slice(0, 4).join(','))).toEqual([
    'c@yahoo.com,yahoo.com,hard-bounce,2026-01-10T10:01:10.000Z',
    'a@gmail.com,gmail.com,remote-bounce,2026-01-10T10:11:00.000Z',
  ]);
  expect(res.headers()['x-next-cursor']).toBeTruthy();
  // Reached from another screen, the page's URL carries that screen's range and filters, which
  // the suppressions API does not read: the link holds only its own parameters (it was a 400).
  await page.goto('/?range=7d&provider=Google&refresh=10');
  await page.getByRole('link', { name: 'Suppressions', exact: true }).click();
  await expect(page).toHaveURL(/\/suppressions\?.*provider=Google/);
  const fromNav = await page.getByRole('link', { name: 'Download CSV' }).getAttribute('href');
  expect((await page.request.get(fromNav ?? '')).status()).toBe(200);
});

test('the since picker and the main navigation reach the suppressions', async ({ page }) => {
  await page.goto('/records?range=24h&tz=UTC');
  await page.getByRole('link', { name: 'Suppressions', exact: true }).click();
  await expect(page).toHaveURL(/\/suppressions\?/);
  // The fixtures are older than the default 30 days, which the picker shows as its current choice.
  await expect(visibleTestId(page, 'suppressions-total')).toHaveText('0');
  await expect(page.getByRole('link', { name: '30 d', exact: true })).toHaveAttribute('aria-current', 'true');
  await page.getByRole('link', { name: '1 y', exact: true }).click();
  await expect(page).toHaveURL(/since=/);
  await expect(visibleTestId(page, 'suppressions-total')).toHaveText('2');
  await expect(page.getByRole('link', { name: '1 y', exact: true })).toHaveAttribute('aria-current', 'true');
  await expect(page.getByRole('link', { name: '30 d', exact: true })).not.toHaveAttribute('aria-current');
  await page.getByLabel('or since').fill('2026-01-10');
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page).toHaveURL(/since=2026-01-10T00%3A00%3A00\.000Z(&|$)/);
  await expect(
    page.getByRole('region', { name: 'Suppressions', exact: true }).locator('tbody tr'),
  ).toHaveCount(2);
  // The date is a day of the screen's zone: midnight in Kolkata, not UTC midnight.
  await page.goto('/suppressions?tz=Asia%2FKolkata&since=2026-01-09T18%3A30%3A00.000Z');
  await expect(page.getByLabel('or since')).toHaveValue('2026-01-10');
  await page.getByLabel('or since').fill('2026-01-11');
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page).toHaveURL(/since=2026-01-10T18%3A30%3A00\.000Z(&|$)/);
  await expect(page).toHaveURL(/tz=Asia%2FKolkata/);
  await expect(visibleTestId(page, 'suppressions-total')).toHaveText('0');
});
