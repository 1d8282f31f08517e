import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';

/** How many leading bytes of a file identify it (with device and inode). */
export const FINGERPRINT_BYTES = 1024;

/** What the worker knows of one accounting file (one row of acct_file). */
export interface FileState {
  id: number;
  source: string;
  path: string;
  dev: string;
  ino: string;
  /** Committed checkpoint: byte offset just past the last ingested record. */
  offset: number;
  /** Column names in effect at `offset` (null before the header row was read). */
  header: string[] | null;
  fpLen: number;
  fp: string;
  /** Open while the file is being read; closed when idle so thousands of old files cost no fds. */
  fd: FileHandle | null;
  /** Size last reported to the database (for lag on the status screen). */
  reportedSize: number;
  /** Size and modification time (ns) at the last scan (an unchanged file is not re-fingerprinted). */
  seenSize: number;
  seenMtime: bigint;
  /** Whether the file is still under a followed path (false once every scan missed it for 2 s). */
  present: boolean;
  /** Since when every scan has missed the file (null: the last scan found it). */
  missingSince: number | null;
  lastChangeAt: number;
}

export async function hashPrefix(fd: FileHandle, len: number): Promise<string> {
  if (len === 0) return '';
  const buf = Buffer.alloc(len);
  const { bytesRead } = await fd.read(buf, 0, len, 0);
  return createHash('sha1').update(buf.subarray(0, bytesRead)).digest('hex');
}

/**
 * Is the file behind `fd` still the one the checkpoint describes? Same inode is not enough: a
 * file truncated in place (copytruncate) or an inode reused by a new file has other first bytes.
 */
export async function sameContent(
  fd: FileHandle,
  size: number,
  state: Pick<FileState, 'offset' | 'fpLen' | 'fp'>,
) {
  if (size < state.offset) return false;
  if (state.fpLen === 0) return true;
  if (size < state.fpLen) return false;
  return (await hashPrefix(fd, state.fpLen)) === state.fp;
}
