import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { AcctRecord } from '../lib/acct/types.ts';
import { aggregateRollups, aggregateVmtaIps, type RollupColumns, type VmtaIpColumns } from './aggregate.ts';
import { copyNumber, copyText, createDateEncoder } from './copy-text.ts';

const encodeLogged = createDateEncoder();
const encodeQueued = createDateEncoder();

export interface RecordAt {
  offset: number;
  record: AcctRecord;
}

export interface RejectAt {
  offset: number;
  text: string;
  reason: string;
}

/** Everything one transaction writes for one file: rows, rollups, rejects and the checkpoint. */
export interface Batch {
  fileId: number;
  source: string;
  /** The checkpoint this batch starts from; the commit fails if another writer moved it. */
  fromOffset: number;
  toOffset: number;
  header: string[] | null;
  size: number;
  records: RecordAt[];
  rejects: RejectAt[];
  /** Set while the file's fingerprint still grows (first bytes of the file). */
  fingerprint?: { len: number; hash: string };
}

export class CheckpointMovedError extends Error {
  constructor(fileId: number) {
    super(`checkpoint of file ${fileId} was moved by another writer; reloading it`);
  }
}

const RECORD_COLUMNS = [
  'time_logged',
  'file_id',
  'byte_offset',
  'source',
  'type',
  'time_queued',
  'orig',
  'rcpt',
  'rcpt_domain',
  'provider',
  'dsn_action',
  'dsn_status',
  'dsn_diag',
  'dsn_mta',
  'bounce_cat',
  'dlv_source_ip',
  'dlv_destination_ip',
  'dlv_size',
  'vmta',
  'vmta_pool',
  'job_id',
  'env_id',
  'queue',
  'feedback_type',
  'reporting_mta',
  'orcpt',
  'src_type',
  'src_mta',
  'dlv_type',
  'dlv_esmtp_available',
  'extra',
];
const CHUNK_BYTES = 1 << 20;
const YIELD_EVERY = 2000;
export const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
const COPY_SQL = `COPY acct_record (${RECORD_COLUMNS.join(', ')}) FROM STDIN`;

/** One acct_record row in COPY text format, columns in RECORD_COLUMNS order. */
export function recordRow(fileId: number, source: string, { offset, record: r }: RecordAt): string {
  const extra = r.extra;
  let json = '{}';
  for (const _ in extra) {
    json = copyText(JSON.stringify(extra));
    break;
  }
  return `${encodeLogged(r.timeLogged)}\t${fileId}\t${offset}\t${source}\t${r.type}\t${encodeQueued(r.timeQueued)}\t${copyText(
    r.orig,
  )}\t${copyText(r.rcpt)}\t${copyText(r.rcptDomain)}\t${copyText(r.provider)}\t${copyText(r.dsnAction)}\t${copyText(
    r.dsnStatus,
  )}\t${copyText(r.dsnDiag)}\t${copyText(r.dsnMta)}\t${copyText(r.bounceCat)}\t${copyText(r.dlvSourceIp)}\t${copyText(
    r.dlvDestinationIp,
  )}\t${copyNumber(r.dlvSize)}\t${copyText(r.vmta)}\t${copyText(r.vmtaPool)}\t${copyText(r.jobId)}\t${copyText(
    r.envId,
  )}\t${copyText(r.queue)}\t${copyText(r.feedbackType)}\t${copyText(r.reportingMta)}\t${copyText(
    r.orcpt,
  )}\t${copyText(r.srcType)}\t${copyText(r.srcMta)}\t${copyText(r.dlvType)}\t${copyText(r.dlvEsmtpAvailable)}\t${json}\n`;
}

/** A batch turned into the bytes and parameters its transaction sends: built before the write. */
export interface EncodedBatch {
  batch: Batch;
  /** acct_record rows, COPY text, in ~1 MiB buffers. */
  recordChunks: Buffer[];
  rollupMinute: string;
  rollupHour: string;
  ips: VmtaIpColumns;
  lastRecordAt: Date | null;
}

function rollupText(c: RollupColumns, batch: Batch): string {
  const tail = `\t${batch.fileId}\t${batch.fromOffset}\t`;
  let text = '';
  for (let i = 0; i < c.n.length; i++) text += `${c.bucket[i]}\t${c.dimId[i]}${tail}${c.n[i]}\n`;
  return text;
}

/**
 * Encodes a batch (`dimIds[i]` is the acct_dim id of record i). CPU work done for the next batch
 * while the database is still writing the previous one, in slices so that write keeps flowing.
 */
export async function encodeBatch(batch: Batch, dimIds: ArrayLike<number>): Promise<EncodedBatch> {
  const records = batch.records.map((r) => r.record);
  let lastRecordAt: Date | null = null;
  for (const r of records) if (!lastRecordAt || r.timeLogged > lastRecordAt) lastRecordAt = r.timeLogged;
  const source = copyText(batch.source);
  // Rows are written straight into buffers: concatenating them into big strings first costs twice
  // as much (V8 must flatten the rope before encoding it).
  const recordChunks: Buffer[] = [];
  let buf = Buffer.allocUnsafe(CHUNK_BYTES);
  let pos = 0;
  for (let i = 0; i < batch.records.length; i++) {
    // Let the previous batch's COPY keep streaming: its socket writes need the event loop.
    if (i % YIELD_EVERY === YIELD_EVERY - 1) await yieldToLoop();
    const row = recordRow(batch.fileId, source, batch.records[i]);
    if (pos + row.length * 3 > buf.length) {
      recordChunks.push(buf.subarray(0, pos));
      buf = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, row.length * 3));
      pos = 0;
    }
    pos += buf.write(row, pos);
  }
  if (pos > 0) recordChunks.push(buf.subarray(0, pos));
  const rollups = aggregateRollups(records, dimIds);
  return {
    batch,
    recordChunks,
    rollupMinute: rollupText(rollups.minute, batch),
    rollupHour: rollupText(rollups.hour, batch),
    ips: aggregateVmtaIps(records),
    lastRecordAt,
  };
}

async function copyIn(client: pg.PoolClient, sql: string, chunks: (Buffer | string)[]): Promise<void> {
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
 * Writes one batch in ONE transaction: raw rows, rollups, the IP → VirtualMTA map, rejects and
 * the file's checkpoint. Committing the offset with the rows is what makes ingest exactly-once:
 * after a crash either all of it is there (and the offset says so) or none of it is.
 */
export async function writeBatch(client: pg.PoolClient, enc: EncodedBatch): Promise<void> {
  const { batch, ips } = enc;
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
        batch.header,
        batch.size,
        batch.records.length,
        batch.rejects.length,
        enc.lastRecordAt,
        batch.fromOffset,
        batch.fingerprint?.len ?? null,
        batch.fingerprint?.hash ?? null,
      ],
    );
    if (moved.rowCount !== 1) throw new CheckpointMovedError(batch.fileId);
    if (batch.records.length > 0) {
      await copyIn(client, COPY_SQL, enc.recordChunks);
      const rollupColumns = '(bucket, dim_id, file_id, batch_offset, n)';
      await copyIn(client, `COPY rollup_minute ${rollupColumns} FROM STDIN`, [enc.rollupMinute]);
      await copyIn(client, `COPY rollup_hour ${rollupColumns} FROM STDIN`, [enc.rollupHour]);
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
    if (batch.rejects.length > 0) {
      await client.query(
        `INSERT INTO acct_reject (file_id, byte_offset, text, reason)
         SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::text[])
         ON CONFLICT (file_id, byte_offset) DO NOTHING`,
        [
          batch.fileId,
          batch.rejects.map((r) => r.offset),
          batch.rejects.map((r) => r.text.replaceAll('\0', '')),
          batch.rejects.map((r) => r.reason),
        ],
      );
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}
