import { getPrisma } from '../db/client.ts';
import { ParamError, parseLimit, single } from '../filters.ts';
import type { Prisma } from '../generated/prisma/client.ts';

export const MAX_REJECTS_LIMIT = 1000;

export interface RejectQuery {
  limit: number;
  /** Continue after the reject a previous page ended with (older ones). */
  cursor?: string;
  /** Only the rejects of this source host's files. */
  source?: string;
  /** Only the rejects of this file (`files[].id` of the ingest status). */
  fileId?: number;
}

export interface Reject {
  id: number;
  fileId: number;
  path: string;
  source: string;
  offset: number;
  text: string;
  reason: string;
  createdAt: string;
}

const MAX_ID = 2n ** 63n - 1n;

export function encodeRejectCursor(id: bigint): string {
  return Buffer.from(JSON.stringify([String(id)])).toString('base64url');
}

/** The id of the last reject a page listed. */
export function decodeRejectCursor(value: string): bigint {
  try {
    const [id] = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    if (typeof id !== 'string' || !/^[1-9]\d{0,18}$/.test(id) || BigInt(id) > MAX_ID)
      throw new Error('shape');
    return BigInt(id);
  } catch {
    throw new ParamError('cursor is not one this API returned', 'cursor');
  }
}

/**
 * Rejected lines, newest first (by id: the order they were stored), in keyset pages, and how many
 * match in all. A reject stored while a client pages gets a higher id than any listed, so paging
 * from the newest never lists one twice or skips one that was there at the first page.
 */
export async function getRejects(query: RejectQuery) {
  const prisma = getPrisma();
  const where: Prisma.AcctRejectWhereInput = {};
  if (query.fileId !== undefined) where.fileId = query.fileId;
  if (query.source !== undefined) where.file = { source: query.source };
  const before = query.cursor ? decodeRejectCursor(query.cursor) : undefined;
  const [counted, rows] = await Promise.all([
    // The files' counters, not count(*): the writer adds a batch's rejects to its file's counter in
    // the transaction that stores them, and neither a reject nor a file is ever deleted
    // (tests/integration/reject-counters.test.ts), so they are the same number. count(*) read every
    // reject on each load and each 10 s refresh of the ingest screen: 70–100 ms at a million
    // (index-only), 150–220 ms before the table was vacuumed, and rejects are kept for ever.
    prisma.acctFile.aggregate({
      _sum: { rejects: true },
      where: {
        ...(query.fileId === undefined ? {} : { id: query.fileId }),
        ...(query.source === undefined ? {} : { source: query.source }),
      },
    }),
    prisma.acctReject.findMany({
      where: before === undefined ? where : { ...where, id: { lt: before } },
      orderBy: { id: 'desc' },
      take: query.limit + 1,
      include: { file: { select: { path: true, source: true } } },
    }),
  ]);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    rejects: page.map(
      (r): Reject => ({
        id: Number(r.id),
        fileId: r.fileId,
        path: r.file.path,
        source: r.file.source,
        offset: Number(r.byteOffset),
        text: r.text,
        reason: r.reason,
        createdAt: r.createdAt.toISOString(),
      }),
    ),
    totalRejects: Number(counted._sum.rejects ?? 0),
    nextCursor: rows.length > query.limit && last ? encodeRejectCursor(last.id) : null,
  };
}

/** The rejects query of a URL (the API and the ingest screen read the same parameters). */
export function parseRejectQuery(params: URLSearchParams, defaultLimit: number): RejectQuery {
  const cursor = single(params, 'cursor');
  if (cursor) decodeRejectCursor(cursor);
  const fileId = single(params, 'fileId');
  if (fileId !== undefined && !(/^\d{1,10}$/.test(fileId) && Number(fileId) <= 2 ** 31 - 1)) {
    throw new ParamError('fileId must be the id of a file (files[].id of /api/v1/ingest/status)', 'fileId');
  }
  return {
    limit: parseLimit(params, defaultLimit, MAX_REJECTS_LIMIT),
    cursor,
    source: single(params, 'source'),
    fileId: fileId === undefined ? undefined : Number(fileId),
  };
}
