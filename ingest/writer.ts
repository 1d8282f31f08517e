import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { LocalCounts } from './bucket-counts.ts';
import type { TemplateRows } from './dims.ts';
import type { PreparedChunk } from './prepare.ts';
import { RECORD_COLUMNS } from './record-row.ts';

/** Everything one transaction writes for one file: rows, rollups, rejects and the checkpoint. */
export interface Batch {
  fileId: number;
  /** The checkpoint this batch starts from; the commit fails if another writer moved it. */
  fromOffset: number;
  toOffset: number;
  size: number;
  chunk: PreparedChunk;
  /** Set while the file's fingerprint still grows (first bytes of the file). */
  fingerprint?: { len: number; hash: string };
}

/** A batch with its rollup rows resolved to acct_dim / insight_dim ids, ready to send. */
export interface EncodedBatch {
  batch: Batch;
  rollupMinute: string;
  rollupHour: string;
  insightMinute: string;
  insightHour: string;
  sliceMinute: string;
  sliceHour: string;
  sliceDay: string;
  sliceMonth: string;
  /** Templates the batch uses that the worker does not know to be stored yet. */
  templates: TemplateRows;
}

export class CheckpointMovedError extends Error {
  constructor(fileId: number) {
    super(`checkpoint of file ${fileId} was moved by another writer; reloading it`);
  }
}

const COPY_SQL = `COPY acct_record (${RECORD_COLUMNS.join(', ')}) FROM STDIN`;
const ROLLUP_COLUMNS = '(bucket, dim_id, file_id, batch_offset, n)';
const SLICE_COLUMNS = '(bucket, kind, key, type, file_id, batch_offset, n)';

/**
 * Rollup rows (one per bucket × dim, keyed by this batch) in COPY text format; `dimIds[local]` is
 * what goes between the bucket and the batch key (a dictionary id, or a slice's columns).
 */
function rollupText(c: LocalCounts, dimIds: ArrayLike<number | string>, batch: Batch): string {
  const tail = `\t${batch.fileId}\t${batch.fromOffset}\t`;
  let text = '';
  let lastBucket = Number.NaN;
  let iso = '';
  for (let i = 0; i < c.n.length; i++) {
    // Rows come grouped by bucket: format each bucket's timestamp once.
    if (c.bucket[i] !== lastBucket) {
      lastBucket = c.bucket[i];
      iso = new Date(lastBucket).toISOString();
    }
    text += `${iso}\t${dimIds[c.dim[i]]}${tail}${c.n[i]}\n`;
  }
  return text;
}

/**
 * Maps the chunk's local dimension indexes to acct_dim ids (`dimIds[local]`) and its local insight
 * indexes to insight_dim ids (`insightIds[local]`).
 */
export function encodeBatch(
  batch: Batch,
  dimIds: ArrayLike<number>,
  insightIds: ArrayLike<number> = [],
  templates: TemplateRows = { key: [], template: [], sample: [], firstSeen: [] },
): EncodedBatch {
  const { insights, slices } = batch.chunk;
  return {
    batch,
    rollupMinute: rollupText(batch.chunk.minute, dimIds, batch),
    rollupHour: rollupText(batch.chunk.hour, dimIds, batch),
    insightMinute: rollupText(insights.minute, insightIds, batch),
    insightHour: rollupText(insights.hour, insightIds, batch),
    sliceMinute: rollupText(slices.minute, slices.row, batch),
    sliceHour: rollupText(slices.hour, slices.row, batch),
    sliceDay: rollupText(slices.day, slices.row, batch),
    sliceMonth: rollupText(slices.month, slices.row, batch),
    templates,
  };
}

async function copyIn(client: pg.PoolClient, sql: string, chunks: (Uint8Array | string)[]): Promise<void> {
  const stream = client.query(copyFrom(sql));
  const done = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
  });
  for (const c of chunks) {
    if (!stream.write(c)) await new Promise((r) => stream.once('drain', r));
  }
  stream.end();
  await done;
}

/**
 * Writes one batch in ONE transaction: raw rows, rollups (main and insight), new diagnostic
 * templates, the IP → VirtualMTA map, rejects and the file's checkpoint. Committing the offset with the rows is what makes ingest exactly-once:
 * after a crash either all of it is there (and the offset says so) or none of it is.
 */
export async function writeBatch(client: pg.PoolClient, enc: EncodedBatch): Promise<void> {
  const { batch } = enc;
  const { chunk } = batch;
  const { ips } = chunk;
  const lastRecordAt = chunk.recordCount > 0 ? new Date(chunk.lastMs) : null;
  await client.query('BEGIN');
  try {
    // The checkpoint first: it locks the file's row, so a second writer on the same file waits
    // here and then finds the offset moved.
    const moved = await client.query(
      `UPDATE acct_file SET "offset" = $2, header = $3, size = GREATEST(size, $4), records = records + $5,
              rejects = rejects + $6, last_record_at = GREATEST(last_record_at, $7), ingested_at = now(),
              fp_len = COALESCE($9, fp_len), fp = COALESCE($10, fp), status = 'active'
        WHERE id = $1 AND "offset" = $8`,
      [
        batch.fileId,
        batch.toOffset,
        chunk.header,
        batch.size,
        chunk.recordCount,
        chunk.rejects.length,
        lastRecordAt,
        batch.fromOffset,
        batch.fingerprint?.len ?? null,
        batch.fingerprint?.hash ?? null,
      ],
    );
    if (moved.rowCount !== 1) throw new CheckpointMovedError(batch.fileId);
    if (chunk.recordCount > 0) {
      await copyIn(client, COPY_SQL, chunk.recordChunks);
      await copyIn(client, `COPY rollup_minute ${ROLLUP_COLUMNS} FROM STDIN`, [enc.rollupMinute]);
      await copyIn(client, `COPY rollup_hour ${ROLLUP_COLUMNS} FROM STDIN`, [enc.rollupHour]);
      await copyIn(client, `COPY rollup_slice_minute ${SLICE_COLUMNS} FROM STDIN`, [enc.sliceMinute]);
      await copyIn(client, `COPY rollup_slice_hour ${SLICE_COLUMNS} FROM STDIN`, [enc.sliceHour]);
      await copyIn(client, `COPY rollup_slice_day ${SLICE_COLUMNS} FROM STDIN`, [enc.sliceDay]);
      await copyIn(client, `COPY rollup_slice_month ${SLICE_COLUMNS} FROM STDIN`, [enc.sliceMonth]);
      if (enc.insightMinute) {
        await copyIn(client, `COPY rollup_insight_minute ${ROLLUP_COLUMNS} FROM STDIN`, [enc.insightMinute]);
        await copyIn(client, `COPY rollup_insight_hour ${ROLLUP_COLUMNS} FROM STDIN`, [enc.insightHour]);
      }
    }
    if (enc.templates.key.length > 0) {
      const t = enc.templates;
      await client.query(
        `INSERT INTO diag_template (key, template, sample, first_seen_at)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[])
         ON CONFLICT (key) DO NOTHING`,
        [t.key, t.template, t.sample, t.firstSeen],
      );
    }
    if (ips.n.length > 0) {
      await client.query(
        `INSERT INTO vmta_ip AS v (source_ip, vmta, vmta_pool, n, first_seen, last_seen)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::timestamptz[], $6::timestamptz[])
         ON CONFLICT (source_ip, vmta, vmta_pool) DO UPDATE SET n = v.n + excluded.n,
           first_seen = LEAST(v.first_seen, excluded.first_seen), last_seen = GREATEST(v.last_seen, excluded.last_seen)`,
        [ips.sourceIp, ips.vmta, ips.vmtaPool, ips.n, ips.firstSeen, ips.lastSeen],
      );
    }
    if (chunk.rejects.length > 0) {
      await client.query(
        `INSERT INTO acct_reject (file_id, byte_offset, text, reason)
         SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::text[])
         ON CONFLICT (file_id, byte_offset) DO NOTHING`,
        [
          batch.fileId,
          chunk.rejects.map((r) => r.offset),
          chunk.rejects.map((r) => r.text.replaceAll('\0', '')),
          chunk.rejects.map((r) => r.reason),
        ],
      );
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}
