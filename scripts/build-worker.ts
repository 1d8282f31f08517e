import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildSync } from 'esbuild';
import { INGEST_BUNDLE, INGEST_NODE_FLAGS } from '../ingest/node-flags.ts';

// `npm run build:worker` (and the first step of `npm run ingest`): the ingest worker's CLI and its
// parsing thread bundled into plain JavaScript in dist/ingest/. Run under tsx, each of the
// process's two threads loaded the TypeScript loader and compiled ~150 modules itself: ~35 MB of
// peak RSS on a 1M-record backfill went to that machinery alone (257–269 MB against 293–299 MB,
// worker CLI --once, three rounds). Packages stay imports from node_modules; only the project's
// own modules are bundled. The bundle sits two folders below the root, like the sources, so the
// paths they resolve from their own folder (prisma/migrations) stay right.

const ROOT = path.resolve(import.meta.dirname, '..');

/** Bundles the worker into dist/ingest/ (see INGEST_BUNDLE) and returns the CLI's absolute path. */
export function buildWorker(): string {
  const outdir = path.join(ROOT, path.dirname(INGEST_BUNDLE));
  const result = buildSync({
    absWorkingDir: ROOT,
    // preparer.ts starts its thread from ./prepare-thread.mjs beside itself: in the bundle, the
    // bundled thread; beside the sources, a shim that registers tsx first.
    entryPoints: ['ingest/cli.ts', 'ingest/prepare-thread.ts'],
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
 * The arguments of `node` that run the bundled worker CLI with `args` and the worker's flags, as
 * `npm run ingest` does (benchmarks, tests); the bundle is built once per process.
 */
export function workerNodeArgs(args: string[]): string[] {
  built ??= buildWorker();
  return [...INGEST_NODE_FLAGS, built, ...args];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) buildWorker();
