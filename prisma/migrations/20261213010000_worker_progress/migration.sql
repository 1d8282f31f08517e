-- What each worker has done since it started, and its pace over the last minute, written with its
-- heartbeat (every 5 s): the ingest screen shows a backfill's rate and how long the lag will take.
-- Constant defaults: no table rewrite (PostgreSQL 11+), and the table holds a row per worker.
ALTER TABLE "ingest_worker"
  ADD COLUMN "records"         BIGINT           NOT NULL DEFAULT 0,
  ADD COLUMN "rejects"         BIGINT           NOT NULL DEFAULT 0,
  ADD COLUMN "records_per_sec" DOUBLE PRECISION NOT NULL DEFAULT 0,
  ADD COLUMN "bytes_per_sec"   DOUBLE PRECISION NOT NULL DEFAULT 0;
