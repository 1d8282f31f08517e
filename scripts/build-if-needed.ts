import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..');
export const NEXT = path.join(ROOT, 'node_modules/.bin/next');

/**
 * The newest change under a folder. A folder's own mtime counts too: deleting or renaming a file
 * changes no file's mtime, only its folder's.
 */
function newestMtime(dir: string): number {
  let newest = statSync(dir).mtimeMs;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.') || e.name === 'generated') continue;
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** What the build reads besides node_modules: the source folders and the build's configuration. */
const SOURCE_DIRS = ['app', 'components', 'lib'];
const CONFIG_FILES = [
  // The generated client (lib/generated, not looked at) changes with it.
  'prisma/schema.prisma',
  'next.config.ts',
  'proxy.ts',
  'postcss.config.mjs',
  'tsconfig.json',
  'package-lock.json',
];

/** The newest change to anything the build reads. */
export function sourcesMtime(root = ROOT): number {
  return Math.max(
    ...SOURCE_DIRS.map((d) => newestMtime(path.join(root, d))),
    ...CONFIG_FILES.map((f) => path.join(root, f))
      .filter(existsSync)
      .map((f) => statSync(f).mtimeMs),
  );
}

/**
 * Regenerates the Prisma client (lib/generated, written by `npm install`'s postinstall) when
 * prisma/schema.prisma is newer or it is missing: `git pull && npm start` after a schema change
 * built the app against the old client and failed ("Property 'records' does not exist…").
 * `generate` runs the generator (scripts/prisma-generate.mjs); true when it ran.
 */
export function generateClientIfStale(
  log: (message: string) => void,
  root = ROOT,
  generate = () =>
    spawnSync(process.execPath, [path.join(root, 'scripts/prisma-generate.mjs')], {
      cwd: root,
      stdio: 'inherit',
    }).status,
): boolean {
  const client = path.join(root, 'lib/generated/prisma/client.ts');
  const schema = path.join(root, 'prisma/schema.prisma');
  if (existsSync(client) && statSync(client).mtimeMs >= statSync(schema).mtimeMs) return false;
  log('generating the database client (prisma/schema.prisma changed)…');
  if (generate() !== 0) throw new Error('prisma generate failed');
  return true;
}

/**
 * Builds the app when there is no build yet or anything it reads changed since the last one
 * (edited, added, deleted or renamed).
 */
export function buildIfNeeded(log: (message: string) => void): void {
  const buildId = path.join(ROOT, '.next/BUILD_ID');
  const sources = sourcesMtime();
  if (existsSync(buildId) && statSync(buildId).mtimeMs > sources) return;
  log('building the dashboard (first start, or the sources changed)…');
  const result = spawnSync(NEXT, ['build'], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (result.status !== 0) throw new Error('next build failed');
}
