-- acctscope initial schema. Written by hand (Prisma Migrate's engine is not available here) and
-- applied by lib/db/migrate.ts, which records it in _prisma_migrations like `prisma migrate deploy`.

-- One row per accounting file *identity* (device + inode + fingerprint of its first data bytes).
-- `offset` is the byte offset just past the last record ingested; it is updated in the same
-- transaction as the rows it covers, which is what makes ingest exactly-once.
CREATE TABLE "acct_file" (
  "id"             SERIAL PRIMARY KEY,
  "source"         TEXT NOT NULL,
  "path"           TEXT NOT NULL,
  "dev"            TEXT NOT NULL,
  "ino"            TEXT NOT NULL,
  "fp_len"         INTEGER NOT NULL DEFAULT 0,
  "fp"             TEXT NOT NULL DEFAULT '',
  "header"         TEXT[],
  "offset"         BIGINT NOT NULL DEFAULT 0,
  "size"           BIGINT NOT NULL DEFAULT 0,
  "records"        BIGINT NOT NULL DEFAULT 0,
  "rejects"        BIGINT NOT NULL DEFAULT 0,
  "status"         TEXT NOT NULL DEFAULT 'active',
  "last_record_at" TIMESTAMPTZ(3),
  "first_seen_at"  TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "ingested_at"    TIMESTAMPTZ(3),
  "seen_at"        TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);
CREATE INDEX "acct_file_dev_ino_idx" ON "acct_file" ("dev", "ino");
CREATE INDEX "acct_file_path_idx" ON "acct_file" ("path");

-- Raw accounting records, partitioned by UTC day of time_logged (retention = DROP of a partition).
-- A record's identity is (file, byte offset): every row can be traced back to its line.
CREATE TABLE "acct_record" (
  "time_logged"        TIMESTAMPTZ(3) NOT NULL,
  "file_id"            INTEGER NOT NULL,
  "byte_offset"        BIGINT NOT NULL,
  "source"             TEXT NOT NULL,
  "type"               TEXT NOT NULL,
  "time_queued"        TIMESTAMPTZ(3),
  "orig"               TEXT,
  "rcpt"               TEXT,
  "rcpt_domain"        TEXT NOT NULL,
  "provider"           TEXT NOT NULL,
  "dsn_action"         TEXT,
  "dsn_status"         TEXT,
  "dsn_diag"           TEXT,
  "dsn_mta"            TEXT,
  "bounce_cat"         TEXT,
  "dlv_source_ip"      TEXT,
  "dlv_destination_ip" TEXT,
  "dlv_size"           INTEGER,
  "vmta"               TEXT,
  "vmta_pool"          TEXT,
  "job_id"             TEXT,
  "env_id"             TEXT,
  "queue"              TEXT,
  "feedback_type"      TEXT,
  "reporting_mta"      TEXT,
  "orcpt"              TEXT,
  "src_type"           TEXT,
  "src_mta"            TEXT,
  "dlv_type"           TEXT,
  "dlv_esmtp_available" TEXT,
  "extra"              JSONB NOT NULL DEFAULT '{}',
  PRIMARY KEY ("time_logged", "file_id", "byte_offset")
) PARTITION BY RANGE ("time_logged");
CREATE INDEX "acct_record_time_brin" ON "acct_record" USING BRIN ("time_logged");

-- Creates the day partition holding `day` if it does not exist yet (also for backfilled dates).
CREATE FUNCTION "acctscope_ensure_partition"("day" DATE) RETURNS VOID LANGUAGE plpgsql AS $$
DECLARE
  name TEXT := 'acct_record_p' || to_char("day", 'YYYYMMDD');
BEGIN
  IF to_regclass(quote_ident(name)) IS NULL THEN
    EXECUTE format(
      'CREATE TABLE IF NOT EXISTS %I PARTITION OF "acct_record" FOR VALUES FROM (%L) TO (%L)',
      name,
      ("day"::timestamp AT TIME ZONE 'UTC'),
      (("day" + 1)::timestamp AT TIME ZONE 'UTC')
    );
  END IF;
END;
$$;

-- Rollups, as a star: every distinct combination of dimension values a record can carry is one
-- row of acct_dim (a small dictionary: thousands of rows, not millions), and the rollup tables
-- count records per time bucket × dim_id. Narrow rollup rows keep the per-record write cost low
-- (the ingest maintains them in the same transaction as the raw rows); filters apply to acct_dim
-- first. Empty dimension values are stored as ''.
CREATE TABLE "acct_dim" (
  "id"          SERIAL PRIMARY KEY,
  "type"        TEXT NOT NULL,
  "source"      TEXT NOT NULL,
  "rcpt_domain" TEXT NOT NULL,
  "provider"    TEXT NOT NULL,
  "vmta"        TEXT NOT NULL,
  "vmta_pool"   TEXT NOT NULL,
  "source_ip"   TEXT NOT NULL,
  "job_id"      TEXT NOT NULL,
  "bounce_cat"  TEXT NOT NULL,
  UNIQUE ("type", "source", "rcpt_domain", "provider", "vmta", "vmta_pool", "source_ip", "job_id", "bounce_cat")
);

-- Rollup rows are appended, never updated in place: each batch adds one row per (bucket, dim)
-- it touched, keyed by the batch (file_id, batch_offset), in the same transaction as its raw rows.
-- Appending (COPY) costs a fraction of an upsert, and readers always SUM(n), so the count is exact
-- whatever the number of rows per key. The worker compacts keys that gathered many small rows
-- (live tailing) into one row with file_id = 0, atomically, so readers never see a partial state.
-- `rollup_minute` answers minute-aligned ranges and minute buckets, `rollup_hour` the
-- hour-aligned bulk of long ranges.
CREATE TABLE "rollup_minute" (
  "bucket"       TIMESTAMPTZ(3) NOT NULL,
  "dim_id"       INTEGER NOT NULL,
  "file_id"      INTEGER NOT NULL,
  "batch_offset" BIGINT NOT NULL,
  "n"            BIGINT NOT NULL,
  PRIMARY KEY ("bucket", "dim_id", "file_id", "batch_offset")
);
CREATE TABLE "rollup_hour" (LIKE "rollup_minute" INCLUDING ALL);
-- Keys of compacted rollup rows: file_id = 0, batch_offset = -nextval (never collides).
CREATE SEQUENCE "rollup_compaction_seq";

-- Which VirtualMTA (and pool) sent from which IP, counted from d/b rows. `f` rows carry only the
-- sending IP; complaints are attributed to VirtualMTAs through this map at query time, so the
-- answer does not depend on whether the FBL file was read before the delivery files.
CREATE TABLE "vmta_ip" (
  "source_ip"  TEXT NOT NULL,
  "vmta"       TEXT NOT NULL,
  "vmta_pool"  TEXT NOT NULL,
  "n"          BIGINT NOT NULL,
  "first_seen" TIMESTAMPTZ(3) NOT NULL,
  "last_seen"  TIMESTAMPTZ(3) NOT NULL,
  PRIMARY KEY ("source_ip", "vmta", "vmta_pool")
);

-- Lines that could not be ingested, with where they were and why. The rest of the file still counts.
CREATE TABLE "acct_reject" (
  "id"          BIGSERIAL PRIMARY KEY,
  "file_id"     INTEGER NOT NULL REFERENCES "acct_file"("id"),
  "byte_offset" BIGINT NOT NULL,
  "text"        TEXT NOT NULL,
  "reason"      TEXT NOT NULL,
  "created_at"  TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  UNIQUE ("file_id", "byte_offset")
);

-- Running ingest workers and the folders they follow (for the ingest status screen).
CREATE TABLE "ingest_worker" (
  "id"           TEXT PRIMARY KEY,
  "host"         TEXT NOT NULL,
  "pid"          INTEGER NOT NULL,
  "dirs"         JSONB NOT NULL,
  "started_at"   TIMESTAMPTZ(3) NOT NULL,
  "heartbeat_at" TIMESTAMPTZ(3) NOT NULL
);
