import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { AcctRecord } from '../lib/acct/types.ts';
import { aggregateRollups, aggregateVmtaIps, type RollupColumns } from './aggregate.ts';
import { copyRow } from './copy-text.ts';

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
  'extra',
];
const COPY_SQL = `COPY acct_record (${RECORD_COLUMNS.join(', ')}) FROM STDIN`;

function recordRow(fileId: number, source: string, { offset, record: r }: RecordAt): string {
  return copyRow([
    r.timeLogged,
    fileId,
    offset,
    source,
    r.type,
    r.timeQueued,
    r.orig,
    r.rcpt,
    r.rcptDomain,
    r.provider,
    r.dsnAction,
    r.dsnStatus,
    r.dsnDiag,
    r.dsnMta,
    r.bounceCat,
    r.dlvSourceIp,
    r.dlvDestinationIp,
    r.dlvSize,
    r.vmta,
    r.vmtaPool,
    r.jobId,
    r.envId,
    r.queue,
    r.feedbackType,
    r.reportingMta,
    JSON.stringify(r.extra),
  ]);
}

async function copyRecords(client: pg.PoolClient, batch: Batch): Promise<void> {
  const stream = client.query(copyFrom(COPY_SQL));
  const done = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
  });
  // Strings of ~1 MB per write keep the socket busy without building one huge string.
  let chunk = '';
  for (const rec of batch.records) {
    chunk += recordRow(batch.fileId, batch.source, rec);
    if (chunk.length > 1 << 20) {
      if (!stream.write(chunk)) await new Promise((r) => stream.once('drain', r));
      chunk = '';
    }
  }
  stream.end(chunk);
  await done;
}

/** Appends this batch's rollup rows (one per bucket × dim) with COPY: no upsert, no conflict. */
async function appendRollup(client: pg.PoolClient, table: 'rollup_minute' | 'rollup_hour', c: RollupColumns, batch: Batch) {
  if (c.n.length === 0) return;
  const tail = `\t${batch.fileId}\t${batch.fromOffset}\t`;
  let text = '';
  for (let i = 0; i < c.n.length; i++) text += `${c.bucket[i]}\t${c.dimId[i]}${tail}${c.n[i]}\n`;
  const stream = client.query(copyFrom(`COPY ${table} (bucket, dim_id, file_id, batch_offset, n) FROM STDIN`));
  await new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
    stream.end(text);
  });
}

/**
 * Writes one batch in ONE transaction: raw rows, rollups, the IP → VirtualMTA map, rejects and
 * the file's checkpoint (`dimIds[i]` is the acct_dim id of record i). Committing the offset with the rows is what makes ingest exactly-once:
 * after a crash either all of it is there (and the offset says so) or none of it is.
 */
export async function writeBatch(client: pg.PoolClient, batch: Batch, dimIds: ArrayLike<number>): Promise<void> {
  const records = batch.records.map((r) => r.record);
  let lastRecordAt: Date | null = null;
  for (const r of records) if (!lastRecordAt || r.timeLogged > lastRecordAt) lastRecordAt = r.timeLogged;
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
        records.length,
        batch.rejects.length,
        lastRecordAt,
        batch.fromOffset,
        batch.fingerprint?.len ?? null,
        batch.fingerprint?.hash ?? null,
      ],
    );
    if (moved.rowCount !== 1) throw new CheckpointMovedError(batch.fileId);
    if (records.length > 0) {
      await copyRecords(client, batch);
      const rollups = aggregateRollups(records, dimIds);
      await appendRollup(client, 'rollup_minute', rollups.minute, batch);
      await appendRollup(client, 'rollup_hour', rollups.hour, batch);
      const ips = aggregateVmtaIps(records);
      if (ips.n.length > 0) {
        await client.query(
          `INSERT INTO vmta_ip AS v (source_ip, vmta, vmta_pool, n, first_seen, last_seen)
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::timestamptz[], $6::timestamptz[])
           ON CONFLICT (source_ip, vmta, vmta_pool) DO UPDATE SET n = v.n + excluded.n,
             first_seen = LEAST(v.first_seen, excluded.first_seen), last_seen = GREATEST(v.last_seen, excluded.last_seen)`,
          [ips.sourceIp, ips.vmta, ips.vmtaPool, ips.n, ips.firstSeen, ips.lastSeen],
        );
      }
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
