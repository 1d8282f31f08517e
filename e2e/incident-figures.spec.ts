import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, type Locator, type Page, test } from '@playwright/test';
import pg from 'pg';
import pino from 'pino';
import { disconnectPrisma } from '../lib/db/client.ts';
import { IncidentMonitor } from '../lib/incidents/monitor.ts';
import type { MetricRule } from '../lib/incidents/rules.ts';
import { visibleTestId } from './visible.ts';

// Every count on an incident card opens the records behind it, and the records explorer's total
// for that link is the count the card shows. The incidents are opened by the monitor itself, judging
// traffic of a day of its own written to the followed folder, so each figure is what the monitor
// counted (RATIO_TYPES over its windows), not a number made up for the test.

// A day no other test writes to, long before the screens' relative ranges; and no suppression
// entry (the suppressions screen lists every one since a date): soft bounces only, and a complaint
// without a recipient (a JMRP-style report, Yahoo's by its reporting host).
const DAY = '2026-02-05';
const AT = new Date(`${DAY}T10:30:00Z`); // judges [10:00, 10:30)
const TZ = 'Asia/Kolkata'; // +05:30: the card's clock and the links' zone are not UTC's
const IP = '198.18.0.1';

/** The fixtures' traffic is too thin for the production rules: any rate over 5 % opens one. */
const RULE: MetricRule = { minVolume: 1, minEvents: 1, floor: 0.05, factor: 1, delta: 0 };

function traffic(): string[] {
  const at = (minute: number) => `${DAY} 10:${String(minute).padStart(2, '0')}:10+0000`;
  const line = (type: string, minute: number, rcpt: string, status = '', diag = '', cat = '', mta = '') =>
    [type, at(minute), rcpt, 'vmta-w', 'pool-w', IP, status, `"${diag}"`, cat, 'job-w', mta].join(',');
  const policy = 'smtp;554 5.7.9 Message not accepted for policy reasons';
  const full = 'smtp;552 5.2.2 <x@yahoo.com> mailbox full';
  const tss04 = `smtp;421 4.7.0 [TSS04] Messages from ${IP} temporarily deferred due to user complaints`;
  return [
    'type,timeLogged,rcpt,vmta,vmtaPool,dlvSourceIp,dsnStatus,dsnDiag,bounceCat,jobId,reportingMta',
    // Yahoo: 7 deliveries, then 6 bounces (4 for policy), then 3 deferrals (2 TSS04) …
    ...[0, 1, 2, 3, 4, 5, 6].map((m) => line('d', m, `y${m}@yahoo.com`, '2.0.0 (success)', 'smtp;250 ok')),
    ...['A', 'A', 'B', 'A', 'B', 'A'].map((r, k) =>
      r === 'A'
        ? line('b', 10 + k, `p${k}@yahoo.com`, '5.7.9 (policy)', policy, 'policy-related')
        : line('b', 10 + k, `x${k}@yahoo.com`, '5.2.2 (mailbox full)', full, 'quota-issues'),
    ),
    line('t', 16, 'q1@yahoo.com', '4.7.0 (policy)', tss04),
    line('t', 17, 'q2@yahoo.com', '4.3.2 (try later)', 'smtp;451 4.3.2 try again later'),
    line('t', 18, 'q3@yahoo.com', '4.7.0 (policy)', tss04),
    // … and a complaint, which carries only the sending IP (attributed to vmta-w and pool-w).
    line('f', 20, '', '', '', '', 'feedback.yahoo.com'),
  ];
}

let db: pg.Client;
let opened: number[] = [];
const adminUrl = process.env.DATABASE_URL;

test.beforeAll(async () => {
  const dir = process.env.E2E_ACCT_DIR;
  if (!dir) throw new Error('E2E_ACCT_DIR not set by the global setup');
  db = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL });
  await db.connect();
  const lines = traffic();
  // Once per run (a retry's worker runs this again: the worker has read the file already).
  const file = path.join(dir, `acct-${DAY}-0000.csv`);
  if (!existsSync(file)) writeFileSync(file, `${lines.join('\r\n')}\r\n`);
  await expect
    .poll(
      async () =>
        Number(
          (
            await db.query(
              `SELECT count(*) AS n FROM acct_record WHERE time_logged >= $1 AND time_logged < $1::timestamptz + interval '1 day'`,
              [`${DAY}T00:00:00Z`],
            )
          ).rows[0].n,
        ),
      { timeout: 30_000 },
    )
    .toBe(lines.length - 1);
  // The monitor in this process, on the app's database: judges the window ending at AT.
  process.env.DATABASE_URL = process.env.E2E_DATABASE_URL;
  const monitor = new IncidentMonitor({
    logger: pino({ level: 'silent' }),
    windowMinutes: 30,
    tailMinutes: 0,
    rules: { bounce: RULE, deferral: RULE, complaint: RULE },
  });
  const result = await monitor.evaluate(AT);
  opened = result.opened;
  // Bounces, deferrals and complaints; of vmta-w and of pool-w.
  expect(opened).toHaveLength(6);
});

test.afterAll(async () => {
  await db?.query('DELETE FROM incident WHERE id = ANY($1)', [opened]);
  await db?.end();
  await disconnectPrisma();
  process.env.DATABASE_URL = adminUrl;
});

const TYPE_NAMES: Record<string, string> = { d: 'Delivered', b: 'Bounced', t: 'Deferred', f: 'Complaints' };

/** The card's figures that link to records: their accessible names say what they open. */
const figureLinks = (card: Locator) => card.getByRole('link', { name: / of (vmta-w|pool pool-w) at / });

/**
 * Follows, by a click, every figure link of the card named `title` on `screen` (their text and
 * name as `expected`): the records explorer's total for each is the figure.
 */
async function followFigures(page: Page, screen: string, title: string, expected: [string, string][]) {
  await page.goto(screen);
  const card = page.getByRole('article', { name: title });
  const links = figureLinks(card);
  await expect(links).toHaveCount(expected.length);
  const shown: [string, string][] = [];
  for (const link of await links.all()) {
    shown.push([(await link.textContent()) ?? '', (await link.getAttribute('aria-label')) ?? '']);
  }
  expect(shown).toEqual(expected);
  for (const [k, [text, name]] of expected.entries()) {
    if (k > 0) await page.goto(screen);
    await links.nth(k).click();
    await page.waitForURL((u) => u.pathname === '/records');
    const opened = new URL(page.url()).searchParams;
    expect(opened.get('tz')).toBe(TZ);
    // The type control names the types listed (it said "All" over several), each by its name.
    await expect(page.getByLabel('Record type').locator('option:checked')).toHaveText(
      opened
        .getAll('type')
        .map((t) => `${TYPE_NAMES[t]} (${t})`)
        .join(', '),
    );
    const n = Number(text.replaceAll(',', ''));
    await expect(visibleTestId(page, 'records-total'), name).toHaveText(
      `${text} ${n === 1 ? 'record matches' : 'records match'} these filters in this range`,
    );
  }
}

for (const [kind, sender, filter] of [
  ['vmta', 'vmta-w', 'vmta=vmta-w'],
  ['pool', 'pool pool-w', 'pool=pool-w'],
] as const) {
  test.describe(`the figures of a ${kind}'s incident card`, () => {
    const screen = `/incidents?tz=${encodeURIComponent(TZ)}&${filter}`;
    const of = (what: string, when: string) => `${what} of ${sender} at ${when}`;

    test('a bounce wave: the bounces, the deliveries and bounces, the top reason and its share', async ({
      page,
    }) => {
      await page.goto(screen);
      const card = page.getByRole('article', { name: `Yahoo × ${sender}: bounce rate` });
      // The figures as the card words them, each window in the screen's zone.
      await expect(card.getByTestId('incident-rates')).toContainText('(6 of 13, to 16:00;');
      await expect(card).toContainText('Top reason when detected (4 of 6 bounces from 15:40 to 16:00)');
      await page.screenshot({ path: test.info().outputPath('incident-figures.png'), fullPage: true });
      await followFigures(page, screen, `Yahoo × ${sender}: bounce rate`, [
        ['6', of('6 bounces', 'Yahoo, 15:30–16:00')],
        ['13', of('13 deliveries and bounces', 'Yahoo, 15:30–16:00')],
        ['4', of('4 bounces', 'Yahoo giving the top reason, 15:40–16:00')],
        ['6', of('6 bounces', 'Yahoo, 15:40–16:00')],
      ]);
    });

    test('a deferral wave: the deferrals over every attempt, the top reason and its share', async ({
      page,
    }) => {
      await followFigures(page, screen, `Yahoo × ${sender}: deferral rate`, [
        ['3', of('3 deferrals', 'Yahoo, 15:30–16:00')],
        ['16', of('16 deliveries, bounces and deferrals', 'Yahoo, 15:30–16:00')],
        ['2', of('2 deferrals', 'Yahoo giving the top reason, 15:46–16:00')],
        ['3', of('3 deferrals', 'Yahoo, 15:46–16:00')],
      ]);
    });

    test('complaints: attributed through the sending IP, over the deliveries', async ({ page }) => {
      await followFigures(page, screen, `Yahoo × ${sender}: complaint rate`, [
        ['1', of('1 complaint', 'Yahoo, 15:30–16:00')],
        ['7', of('7 deliveries', 'Yahoo, 15:30–16:00')],
        ['1', of('1 complaint', 'Yahoo, 15:30–16:00')],
      ]);
    });
  });
}
