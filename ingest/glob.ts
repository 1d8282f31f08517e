import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

/** A followed location: a folder and a file-name pattern. */
export interface WatchTarget {
  dir: string;
  nameRe: RegExp;
}

function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = glob.indexOf(']', i + 1);
      if (close < 0) re += '\\[';
      else {
        re += `[${glob
          .slice(i + 1, close)
          .replace(/^!/, '^')
          .replaceAll('\\', '\\\\')}]`;
        i = close;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/**
 * Resolves ACCT_DIRS entries: a folder follows every *.csv in it; a glob may use * ? [..] in its
 * file-name part (`/var/log/pmta/acct-*.csv`).
 */
export async function resolveTarget(pattern: string): Promise<WatchTarget> {
  const abs = path.resolve(pattern);
  if (!/[*?[]/.test(path.basename(abs))) {
    const st = await stat(abs).catch(() => null);
    if (st?.isDirectory()) return { dir: abs, nameRe: /^[^/]*\.csv$/ };
    if (st?.isFile()) return { dir: path.dirname(abs), nameRe: globToRegExp(path.basename(abs)) };
    // Not there yet: PowerMTA may create it later. Treat a name without .csv as a folder.
    if (!abs.endsWith('.csv')) return { dir: abs, nameRe: /^[^/]*\.csv$/ };
  }
  if (/[*?[]/.test(path.dirname(abs))) {
    throw new Error(`Wildcards are only supported in the file name part of '${pattern}'`);
  }
  return { dir: path.dirname(abs), nameRe: globToRegExp(path.basename(abs)) };
}

/** Lists the files of a target, sorted by name (PowerMTA names sort by date and sequence). */
export async function listTarget(target: WatchTarget): Promise<string[]> {
  const entries = await readdir(target.dir, { withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile() && target.nameRe.test(e.name))
    .map((e) => path.join(target.dir, e.name))
    .sort();
}
