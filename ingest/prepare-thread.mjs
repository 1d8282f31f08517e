// Entry of the worker's parsing thread. Threads do not inherit the TypeScript loader of the main
// thread (tsx or vitest), so register tsx here, then load the TypeScript module.
import { register } from 'tsx/esm/api';

register();
await import('./prepare-thread.ts');
