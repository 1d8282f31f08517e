import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { INGEST_BUNDLE, INGEST_ENV, INGEST_NODE_FLAGS } from './node-flags.ts';

describe('worker process settings', () => {
  it('`npm run ingest` builds the bundle, then starts it with the same flags and environment as the benchmarks', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    const [build, run] = (pkg.scripts.ingest as string).split(' && ');
    expect(build).toBe(pkg.scripts['build:worker']);
    const words = run.trim().split(/\s+/);
    const node = words.indexOf('node');
    expect(node).toBeGreaterThanOrEqual(0);
    const env = Object.fromEntries(words.slice(0, node).map((w) => w.split('=')));
    expect(env).toEqual(INGEST_ENV);
    expect(words.slice(node + 1, node + 1 + INGEST_NODE_FLAGS.length)).toEqual(INGEST_NODE_FLAGS);
    expect(words.slice(node + 1 + INGEST_NODE_FLAGS.length)).toEqual([INGEST_BUNDLE]);
  });
});
