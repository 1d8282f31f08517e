import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import type { LongLine } from './long-line.ts';

/** How many leading bytes of a file identify it (with device and inode). */
export const FINGERPRINT_BYTES = 1024;
/**
 * How many bytes just before a file's checkpoint are kept (hashed in its row) to tell whether the
 * file still holds what was read up to it. The first bytes alone do not tell: two files of one
 * PowerMTA start with the same header, which can run past FINGERPRINT_BYTES.
 */
export const TAIL_BYTES = 1024;

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
  /** The bytes just before `offset` (up to TAIL_BYTES), as they were read. */
  tail: Buffer;
  /** Open while the file is being read; closed when idle so thousands of old files cost no fds. */
  fd: FileHandle | null;
  /** Size last reported to the database (for lag on the status screen). */
  reportedSize: number;
  /**
   * Size and modification time (ns) when the file's content was last checked against the
   * checkpoint (an unchanged file is not checked again).
   */
  seenSize: number;
  seenMtime: bigint;
  /** Whether the file is still under a followed path (false once every scan missed it for 2 s). */
  present: boolean;
  /** Since when every scan has missed the file (null: the last scan found it). */
  missingSince: number | null;
  lastChangeAt: number;
  /**
   * A line longer than a chunk where the file is read, without a line break in its first chunk
   * (long-line.ts): the next read scans on from where this one stopped instead of reading it again.
   * In memory only (after a restart it is found again).
   */
  longLine: LongLine | null;
}

/** What a checkpoint says a file holds: its first `fpLen` bytes and the `tailLen` before `offset`. */
export interface ContentCheck {
  offset: number;
  fpLen: number;
  fp: string;
  /** 0: not known (a row written before tail_len existed), not checked. */
  tailLen: number;
  tailFp: string;
}

/**
 * The file's content was replaced under the same inode (truncated, or overwritten as `cp` does)
 * while it was being read: the checkpoint no longer describes it.
 */
export class FileRewrittenError extends Error {
  constructor(path: string) {
    super(`${path} was truncated or overwritten while being read`);
  }
}

export function sha1(bytes: Uint8Array): string {
  return createHash('sha1').update(bytes).digest('hex');
}

/** The bytes of the file from `from` to `to` (fewer if it ends before). */
export async function readRange(fd: FileHandle, from: number, to: number): Promise<Buffer> {
  const buf = Buffer.alloc(to - from);
  if (buf.length === 0) return buf;
  const { bytesRead } = await fd.read(buf, 0, buf.length, from);
  return buf.subarray(0, bytesRead);
}

export async function hashPrefix(fd: FileHandle, len: number): Promise<string> {
  if (len === 0) return '';
  return sha1(await readRange(fd, 0, len));
}

/** The last TAIL_BYTES of `before` followed by `after` (the bytes before a later offset). */
export function appendTail(before: Buffer, after: Uint8Array): Buffer {
  if (after.length >= TAIL_BYTES) return Buffer.from(after.subarray(after.length - TAIL_BYTES));
  const joined = Buffer.concat([before, after]);
  return joined.subarray(Math.max(0, joined.length - TAIL_BYTES));
}

/** The check of the content up to `offset`, given the bytes before it as read. */
export function checkOf(state: Pick<FileState, 'fpLen' | 'fp'>, offset: number, tail: Buffer): ContentCheck {
  return { offset, fpLen: state.fpLen, fp: state.fp, tailLen: tail.length, tailFp: sha1(tail) };
}

/**
 * Is the file behind `fd` still the one the checkpoint describes? Same inode is not enough: a
 * file truncated in place (copytruncate), overwritten (`cp` over it) or an inode reused by a new
 * file has other bytes. Its first bytes and the ones just before the checkpoint must be the ones
 * that were read; then the bytes before the checkpoint (up to TAIL_BYTES) are returned, else null.
 * Two reads of at most 1 KiB, when a file is opened or found changed, never per record.
 */
export async function sameContent(fd: FileHandle, size: number, check: ContentCheck): Promise<Buffer | null> {
  if (size < check.offset) return null;
  if (check.fpLen > 0 && (size < check.fpLen || (await hashPrefix(fd, check.fpLen)) !== check.fp))
    return null;
  const want = Math.min(TAIL_BYTES, check.offset);
  const len = Math.max(want, Math.min(check.tailLen, check.offset));
  const tail = await readRange(fd, check.offset - len, check.offset);
  if (tail.length < len) return null; // shorter by now
  if (check.tailLen > 0 && sha1(tail.subarray(len - check.tailLen)) !== check.tailFp) return null;
  return tail.subarray(len - want);
}
