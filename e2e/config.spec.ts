import { spawn } from 'node:child_process';
import { connect, createServer, type Socket } from 'node:net';
import { expect, test } from '@playwright/test';
import { NEXT, ROOT } from '../scripts/build-if-needed.ts';
import { visibleTestId } from './visible.ts';

// The built web app on its own (`next start`) checks its configuration when it starts
// (instrumentation.ts): a bad value used to start it "fine" and turn pages into 500s later, with
// /api/health answering 200.

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The built app on its own (`next start`) on `port`, with only `env` beside PATH and HOME. */
function spawnApp(port: number, env: Record<string, string | undefined>, output: boolean) {
  return spawn(NEXT, ['start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      ...env,
    },
    stdio: output ? ['ignore', 'pipe', 'pipe'] : 'ignore',
  });
}

async function startWith(env: Record<string, string | undefined>) {
  const child = spawnApp(await freePort(), env, true);
  let output = '';
  child.stdout?.on('data', (d) => {
    output += String(d);
  });
  child.stderr?.on('data', (d) => {
    output += String(d);
  });
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve(null);
    }, 30_000);
    child.on('exit', (c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  return { code, output };
}

test('the web app on its own refuses a bad configuration at start, naming the variable', async () => {
  const url = process.env.E2E_DATABASE_URL;
  const cases: [Record<string, string | undefined>, RegExp][] = [
    [{ DATABASE_URL: url, LOG_LEVEL: 'verbose' }, /LOG_LEVEL: /],
    [{ DATABASE_URL: url, ACCT_HARD_BOUNCE_CATEGORIES: ',' }, /ACCT_HARD_BOUNCE_CATEGORIES: /],
    [
      { DATABASE_URL: url, ACCT_PROVIDER_CODES_FILE: '/nonexistent/codes.json' },
      /ACCT_PROVIDER_CODES_FILE: /,
    ],
    [{}, /DATABASE_URL: the web app on its own needs it/],
  ];
  for (const [env, message] of cases) {
    const { code, output } = await startWith(env);
    expect(code, JSON.stringify(env)).toBe(2);
    expect(output).toMatch(message);
  }
});

test('with the database down, each panel says so and the screen stays usable', async ({ page }) => {
  const port = await freePort();
  const closed = await freePort(); // nothing listens there: connections are refused
  const child = spawnApp(port, { DATABASE_URL: `postgres://postgres@127.0.0.1:${closed}/acctscope` }, false);
  try {
    const base = `http://127.0.0.1:${port}`;
    await expect
      .poll(async () => (await fetch(`${base}/api/health`).catch(() => null))?.status, { timeout: 30_000 })
      .toBe(503);
    const health = await (await fetch(`${base}/api/health`)).json();
    expect(health).toMatchObject({ status: 'error', database: 'down' });
    // The whole page used to be replaced by "Minified React error #441".
    await page.goto(`${base}/?range=24h`);
    await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
    await expect(page.getByRole('toolbar', { name: 'Filters' })).toBeVisible();
    const kpis = page.getByRole('alert').filter({ hasText: 'KPIs could not be loaded.' });
    await expect(kpis).toContainText('The database is unreachable; the app reconnects by itself.');
    await expect(visibleTestId(page, 'panel-error').first()).not.toContainText('#441');
    // The live header said "updated 3s ago" above the failed panels, as if their numbers were fresh.
    await expect(page.getByRole('status', { name: 'Loading' })).toHaveCount(0);
    const failedPanels = await page.getByTestId('panel-error').count();
    expect(failedPanels).toBeGreaterThan(1);
    await expect(visibleTestId(page, 'live-status')).toHaveText(
      new RegExp(`^Live · ${failedPanels} panels could not be loaded \\(tried \\d+s ago\\)$`),
    );
    await page.goto(`${base}/incidents`);
    await expect(page.getByRole('toolbar', { name: 'Filters' })).toBeVisible();
    await expect(page.getByRole('alert').first()).toContainText('The database is unreachable');
    // The records explorer failed as a whole page, HTTP 500 (QA): its controls stay, its list says why.
    const records = await page.goto(`${base}/records?range=24h&type=b`);
    expect(records?.status()).toBe(200);
    await expect(page.getByRole('heading', { level: 1, name: 'Records' })).toBeVisible();
    await expect(page.getByRole('toolbar', { name: 'Filters' })).toBeVisible();
    await expect(page.getByLabel('Record type')).toHaveValue('b');
    const list = page.getByRole('alert').filter({ hasText: 'Records could not be loaded.' });
    await expect(list).toContainText('The database is unreachable; the app reconnects by itself.');
  } finally {
    child.kill('SIGTERM');
  }
});

test('a page that failed with the database down comes back by itself once it is up', async ({ page }) => {
  // The app reaches the database through a proxy that refuses connections until it listens.
  const target = new URL(process.env.E2E_DATABASE_URL ?? '');
  const proxyPort = await freePort();
  const sockets = new Set<Socket>();
  const proxy = createServer((client) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    sockets.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
  });
  const through = new URL(target);
  through.hostname = '127.0.0.1';
  through.port = String(proxyPort);
  const port = await freePort();
  const child = spawnApp(port, { DATABASE_URL: through.toString() }, false);
  try {
    const base = `http://127.0.0.1:${port}`;
    await expect
      .poll(async () => (await fetch(`${base}/api/health`).catch(() => null))?.status, { timeout: 30_000 })
      .toBe(503);
    // The ingest status reads its data at the top of the page: the whole page is the error.
    await page.goto(`${base}/ingest`);
    const failed = page.getByRole('alert').filter({ hasText: 'This page could not be loaded.' });
    await expect(failed).toContainText('The database is unreachable');
    await expect(failed).toContainText('tries again by itself every 20 s');
    await new Promise<void>((resolve) => proxy.listen(proxyPort, '127.0.0.1', resolve));
    // No click, no reload: the next retry reads the page again.
    await expect(page.getByRole('heading', { level: 1, name: 'Ingest status' })).toBeVisible({
      timeout: 45_000,
    });
    await expect(failed).toHaveCount(0);
  } finally {
    child.kill('SIGTERM');
    for (const s of sockets) s.destroy();
    proxy.close();
  }
});
