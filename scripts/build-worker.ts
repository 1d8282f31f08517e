import { type ChildProcess, type StdioOptions, spawn } from 'node:child_process';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildSync } from 'esbuild';
import { INGEST_BUNDLE, INGEST_ENV, INGEST_NODE_FLAGS } from '../ingest/node-flags.ts';
import { ROOT } from './build-if-needed.ts';

// `npm run build:worker` (and the first step of `npm run ingest`): the ingest worker's CLI and its
// parsing thread bundled into plain JavaScript in dist/ingest/. Run under tsx, each of the
// process's two threads loaded the TypeScript loader and compiled ~150 modules itself: ~35 MB of
// peak RSS on a 1M-record backfill went to that machinery alone (257–269 MB against 293–299 MB,
// worker CLI --once, three rounds). Packages stay imports from node_modules; only the project's
// own modules are bundled. The bundle sits two folders below the root, like the sources, so the
// paths they resolve from their own folder (prisma/migrations) stay right.

/** Bundles the worker into dist/ingest/ (see INGEST_BUNDLE) and returns the CLI's absolute path. */
export function buildWorker(): string {
  const outdir = path.join(ROOT, path.dirname(INGEST_BUNDLE));
  const result = buildSync({
    absWorkingDir: ROOT,
    // preparer.ts starts its thread from ./prepare-thread.mjs beside itself, and embedded.ts its
    // database host from ./embedded-host.mjs: in the bundle, the bundled ones beside cli.mjs;
    // beside the sources, shims that register tsx first.
    entryPoints: {
      cli: 'ingest/cli.ts',
      'prepare-thread': 'ingest/prepare-thread.ts',
      'embedded-host': 'lib/db/embedded-host.ts',
    },
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
    write: false,
  });
  mkdirSync(outdir, { recursive: true });
  // Each file replaced whole (a process starting meanwhile reads the old or the new one, never a
  // part): tests and benchmarks may build while another worker starts.
  for (const file of result.outputFiles) {
    const tmp = `${file.path}.${process.pid}.tmp`;
    writeFileSync(tmp, file.contents);
    renameSync(tmp, file.path);
  }
  return path.join(ROOT, INGEST_BUNDLE);
}

let built: string | undefined;

/**
 * Starts the bundled worker CLI with `args`, with the worker's flags and environment as
 * `npm run ingest` does (benchmarks, tests); `env` is added to this process's environment. The
 * bundle is built once per process.
 */
export function spawnWorker(
  args: string[],
  options: { env?: Record<string, string | undefined>; stdio?: StdioOptions; detached?: boolean } = {},
): ChildProcess {
  built ??= buildWorker();
  return spawn(process.execPath, [...INGEST_NODE_FLAGS, built, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...INGEST_ENV, ...options.env },
    stdio: options.stdio,
    detached: options.detached,
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) buildWorker();
