import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { expect, test } from '@playwright/test';
import { NEXT, ROOT } from '../scripts/build-if-needed.ts';

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

async function startWith(env: Record<string, string | undefined>) {
  const port = await freePort();
  const child = spawn(NEXT, ['start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => {
    output += String(d);
  });
  child.stderr.on('data', (d) => {
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
