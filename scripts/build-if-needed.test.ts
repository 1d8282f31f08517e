import { mkdirSync, mkdtempSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateClientIfStale, sourcesMtime } from './build-if-needed.ts';

// Every path under the tree gets the same old time; a change must move sourcesMtime past it.
const OLD = new Date('2026-01-01T00:00:00Z');

describe('sourcesMtime', () => {
  let root: string;
  const touchAllOld = (...paths: string[]) => {
    for (const p of paths) utimesSync(path.join(root, p), OLD, OLD);
  };

  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'acctscope-build-'));
    for (const d of ['app', 'components', 'lib', 'lib/acct', 'lib/generated']) mkdirSync(path.join(root, d));
    writeFileSync(path.join(root, 'app/page.tsx'), 'x');
    writeFileSync(path.join(root, 'lib/acct/parse.ts'), 'x');
    writeFileSync(path.join(root, 'lib/acct/old.ts'), 'x');
    writeFileSync(path.join(root, 'lib/generated/client.ts'), 'x');
    writeFileSync(path.join(root, 'next.config.ts'), 'x');
    touchAllOld(
      'app/page.tsx',
      'lib/acct/parse.ts',
      'lib/acct/old.ts',
      'lib/generated/client.ts',
      'lib/generated',
      'next.config.ts',
      'app',
      'components',
      'lib/acct',
      'lib',
    );
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('is the time of the newest source when nothing changed since', () => {
    expect(sourcesMtime(root)).toBe(OLD.getTime());
  });

  it('moves when a source file is edited', () => {
    writeFileSync(path.join(root, 'lib/acct/parse.ts'), 'y');
    expect(sourcesMtime(root)).toBeGreaterThan(OLD.getTime());
  });

  it('moves when a source file is deleted (no file changes, only its folder)', () => {
    rmSync(path.join(root, 'lib/acct/old.ts'));
    expect(sourcesMtime(root)).toBeGreaterThan(OLD.getTime());
  });

  it('moves when a source file is renamed', () => {
    renameSync(path.join(root, 'app/page.tsx'), path.join(root, 'app/home.tsx'));
    expect(sourcesMtime(root)).toBeGreaterThan(OLD.getTime());
  });

  it('moves when the build configuration changes', () => {
    writeFileSync(path.join(root, 'next.config.ts'), 'y');
    expect(sourcesMtime(root)).toBeGreaterThan(OLD.getTime());
  });

  it('ignores the generated client inside lib', () => {
    writeFileSync(path.join(root, 'lib/generated/client.ts'), 'y');
    expect(sourcesMtime(root)).toBe(OLD.getTime());
  });
});

describe('generateClientIfStale', () => {
  let root: string;
  let runs: number;
  const generate = () => {
    runs += 1;
    writeFileSync(path.join(root, 'lib/generated/prisma/client.ts'), 'new');
    return 0;
  };
  const at = (p: string, time: Date) => utimesSync(path.join(root, p), time, time);

  beforeEach(() => {
    runs = 0;
    root = mkdtempSync(path.join(tmpdir(), 'acctscope-client-'));
    mkdirSync(path.join(root, 'prisma'));
    mkdirSync(path.join(root, 'lib/generated/prisma'), { recursive: true });
    writeFileSync(path.join(root, 'prisma/schema.prisma'), 'model A {}');
    writeFileSync(path.join(root, 'lib/generated/prisma/client.ts'), 'old');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('leaves a client generated after the schema', () => {
    at('prisma/schema.prisma', OLD);
    at('lib/generated/prisma/client.ts', new Date(OLD.getTime() + 1000));
    expect(generateClientIfStale(() => {}, root, generate)).toBe(false);
    expect(runs).toBe(0);
  });

  it('regenerates a client older than the schema (a pulled schema change), or missing', () => {
    at('lib/generated/prisma/client.ts', OLD);
    at('prisma/schema.prisma', new Date(OLD.getTime() + 1000));
    expect(generateClientIfStale(() => {}, root, generate)).toBe(true);
    // Then up to date: not again.
    expect(generateClientIfStale(() => {}, root, generate)).toBe(false);
    rmSync(path.join(root, 'lib/generated/prisma/client.ts'));
    expect(generateClientIfStale(() => {}, root, generate)).toBe(true);
    expect(runs).toBe(2);
  });

  it('says so when the generator fails', () => {
    rmSync(path.join(root, 'lib/generated/prisma/client.ts'));
    expect(() =>
      generateClientIfStale(
        () => {},
        root,
        () => 1,
      ),
    ).toThrow('prisma generate failed');
  });
});
