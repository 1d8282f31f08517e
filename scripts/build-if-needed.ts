import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..');
export const NEXT = path.join(ROOT, 'node_modules/.bin/next');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.') || e.name === 'generated') continue;
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds the app when there is no build yet or the sources changed since the last one. */
export function buildIfNeeded(log: (message: string) => void): void {
  const buildId = path.join(ROOT, '.next/BUILD_ID');
  const sources = Math.max(...['app', 'components', 'lib'].map((d) => newestMtime(path.join(ROOT, d))));
  if (existsSync(buildId) && statSync(buildId).mtimeMs > sources) return;
  log('building the dashboard (first start, or the sources changed)…');
  const result = spawnSync(NEXT, ['build'], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (result.status !== 0) throw new Error('next build failed');
}
