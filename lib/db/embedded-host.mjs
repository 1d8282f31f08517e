// Entry of the embedded database's host process when run from the sources: a forked process does
// not inherit its parent's TypeScript loader (tsx) here, so register it, then load the module. The
// bundled worker forks dist/ingest/embedded-host.mjs instead (scripts/build-worker.ts).
import { register } from 'tsx/esm/api';

register();
await import('./embedded-host.ts');
