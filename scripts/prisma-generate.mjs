// `prisma generate` never runs the schema engine, but the CLI wants a path to one and would try to
// download it (no network here). Point it at any existing file.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
execFileSync(process.execPath, ['node_modules/prisma/build/index.js', 'generate'], {
  cwd: root,
  stdio: 'inherit',
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY:
      process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? fileURLToPath(new URL('../package.json', import.meta.url)),
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
  },
});
