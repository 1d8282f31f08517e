import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
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
    await page.goto(`${base}/incidents`);
    await expect(page.getByRole('toolbar', { name: 'Filters' })).toBeVisible();
    await expect(page.getByRole('alert').first()).toContainText('The database is unreachable');
  } finally {
    child.kill('SIGTERM');
  }
});
