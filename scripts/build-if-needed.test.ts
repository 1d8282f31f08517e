import { mkdirSync, mkdtempSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sourcesMtime } from './build-if-needed.ts';

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
