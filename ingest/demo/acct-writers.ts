import { DEFAULT_COLUMNS, FBL_COLUMNS, MAIN_COLUMNS, TQ_COLUMNS } from './rows.ts';
import type { Layout } from './simulator.ts';
import { type FileKind, RotatingCsvWriter } from './write-files.ts';

/**
 * The files a layout writes. Full: d,b,t,r,rb,rs in `acct-*`, queue failures in `acct-tq-*`,
 * complaints in `acct-fbl-*` (a common multi-`<acct-file>` setup). Simple: one `acct-*` file with
 * the default 23 columns.
 */
export function createWriters(
  out: string,
  layout: Layout,
  eol: string,
  extra: { maxFileBytes?: number; append?: boolean } = {},
): Map<FileKind, RotatingCsvWriter> {
  const writers = new Map<FileKind, RotatingCsvWriter>();
  const base = { dir: out, eol, ...extra };
  if (layout === 'simple') {
    writers.set('main', new RotatingCsvWriter({ ...base, stem: 'acct', columns: DEFAULT_COLUMNS }));
    return writers;
  }
  writers.set('main', new RotatingCsvWriter({ ...base, stem: 'acct', columns: MAIN_COLUMNS }));
  writers.set('tq', new RotatingCsvWriter({ ...base, stem: 'acct-tq', columns: TQ_COLUMNS }));
  writers.set('fbl', new RotatingCsvWriter({ ...base, stem: 'acct-fbl', columns: FBL_COLUMNS }));
  return writers;
}
