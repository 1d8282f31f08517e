import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendTail, FINGERPRINT_BYTES, sameContent, sha1, TAIL_BYTES } from './file-state.ts';

const bytes = (n: number, seed: string) => Buffer.from(seed.repeat(Math.ceil(n / seed.length)).slice(0, n));

describe('appendTail', () => {
  it('keeps the last TAIL_BYTES of what came before and what follows', () => {
    expect(appendTail(Buffer.from('abc'), Buffer.from('de')).toString()).toBe('abcde');
    const before = bytes(TAIL_BYTES, 'x');
    expect(appendTail(before, Buffer.from('yz')).toString()).toBe(`${'x'.repeat(TAIL_BYTES - 2)}yz`);
    const after = bytes(TAIL_BYTES + 5, '0123456789');
    expect(appendTail(before, after).equals(after.subarray(5))).toBe(true);
  });
});

describe('sameContent', () => {
  let dir: string;
  let file: string;
  let fd: FileHandle | null = null;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'file-state-'));
    file = path.join(dir, 'acct.csv');
  });
  afterEach(async () => {
    await fd?.close();
    fd = null;
    rmSync(dir, { recursive: true, force: true });
  });
  /** The checkpoint of `content` at `offset`, as the worker writes it. */
  const checkpoint = (content: Buffer, offset: number) => {
    const fpLen = Math.min(FINGERPRINT_BYTES, offset);
    const tail = content.subarray(offset - Math.min(TAIL_BYTES, offset), offset);
    return { offset, fpLen, fp: sha1(content.subarray(0, fpLen)), tailLen: tail.length, tailFp: sha1(tail) };
  };
  const openWith = async (content: Buffer) => {
    await fd?.close();
    writeFileSync(file, content);
    fd = await open(file, 'r');
    return fd;
  };

  const header = bytes(1500, 'type,timeLogged,header_X-'); // one PowerMTA's first KiB: the same in each file
  const old = Buffer.concat([header, bytes(3000, 'd,old-row,')]);
  const offset = old.length - 700;

  it('returns the bytes before the checkpoint of a file that grew', async () => {
    const grown = Buffer.concat([old, bytes(500, 'd,more,')]);
    const tail = await sameContent(await openWith(grown), grown.length, checkpoint(old, offset));
    expect(tail?.equals(old.subarray(offset - TAIL_BYTES, offset))).toBe(true);
  });

  it('refuses a file with the same first KiB and other bytes before the checkpoint', async () => {
    const rewritten = Buffer.concat([header, bytes(4000, 'd,new-row,')]);
    expect(
      await sameContent(await openWith(rewritten), rewritten.length, checkpoint(old, offset)),
    ).toBeNull();
  });

  it('refuses a file shorter than the checkpoint, or with other first bytes', async () => {
    const short = old.subarray(0, offset - 1);
    expect(await sameContent(await openWith(short), short.length, checkpoint(old, offset))).toBeNull();
    const other = Buffer.concat([bytes(10, 'X'), old.subarray(10)]);
    expect(await sameContent(await openWith(other), other.length, checkpoint(old, offset))).toBeNull();
  });

  it('checks only the first bytes of a checkpoint written before tails were kept, and returns its tail', async () => {
    const check = { ...checkpoint(old, offset), tailLen: 0, tailFp: '' };
    const rewritten = Buffer.concat([header, bytes(4000, 'd,new-row,')]);
    const tail = await sameContent(await openWith(rewritten), rewritten.length, check);
    expect(tail?.equals(rewritten.subarray(offset - TAIL_BYTES, offset))).toBe(true);
  });

  it('checks the tail length a checkpoint was written with, and returns TAIL_BYTES', async () => {
    const tail = old.subarray(offset - 10, offset);
    const check = { ...checkpoint(old, offset), tailLen: 10, tailFp: sha1(tail) };
    expect((await sameContent(await openWith(old), old.length, check))?.length).toBe(TAIL_BYTES);
    const changed = Buffer.from(old);
    changed[offset - 3] ^= 1;
    expect(await sameContent(await openWith(changed), changed.length, check)).toBeNull();
  });

  it('takes a small file whole, and an empty checkpoint as anything', async () => {
    const small = Buffer.from('type,rcpt\nd,a@b\n');
    const tail = await sameContent(await openWith(small), small.length, checkpoint(small, small.length));
    expect(tail?.equals(small)).toBe(true);
    expect((await sameContent(await openWith(old), old.length, checkpoint(old, 0)))?.length).toBe(0);
  });
});
