-- Insight rollups: why mail is deferred or bounced (diagnostic templates), how long deliveries take
-- (latency histograms) and which DSN codes come back, per provider / recipient domain / VirtualMTA
-- over time. Kept by the ingest in the same transaction as the raw rows, like rollup_minute/hour.

-- The templates of diagnostic texts (lib/acct/diag-template.ts): key = templateKey(template).
-- `sample` is one full dsnDiag line it came from (the first the ingest saw), `first_seen_at` that
-- line's time. Inserted ON CONFLICT DO NOTHING in the transaction of the batch that uses the key.
CREATE TABLE "diag_template" (
  "key"           TEXT PRIMARY KEY,
  "template"      TEXT NOT NULL,
  "sample"        TEXT NOT NULL,
  "first_seen_at" TIMESTAMPTZ(3) NOT NULL
);

-- The dictionary of insight entries, like acct_dim ('' for a missing value):
--   kind 'reason'  : a t/tq/b/rb record; value = diag_template.key of its dsnDiag ('' without one)
--   kind 'latency' : a d record with timeQueued; value = its bucket index in LATENCY_BOUNDS_MS
--   kind 'dsn'     : a b/rb/t record; value = the X.Y.Z code at the start of dsnStatus ('' if none)
-- `queue` is set for tq rows only (they have no recipient: counted per queue).
CREATE TABLE "insight_dim" (
  "id"          SERIAL PRIMARY KEY,
  "kind"        TEXT NOT NULL,
  "type"        TEXT NOT NULL,
  "provider"    TEXT NOT NULL,
  "rcpt_domain" TEXT NOT NULL,
  "vmta"        TEXT NOT NULL,
  "vmta_pool"   TEXT NOT NULL,
  "queue"       TEXT NOT NULL,
  "value"       TEXT NOT NULL,
  UNIQUE ("kind", "type", "provider", "rcpt_domain", "vmta", "vmta_pool", "queue", "value")
);

-- Same shape and write discipline as rollup_minute/rollup_hour: appended (COPY) per batch, keyed by
-- the batch (file_id, batch_offset), summed by readers, folded by the worker's compaction.
CREATE TABLE "rollup_insight_minute" (
  "bucket"       TIMESTAMPTZ(3) NOT NULL,
  "dim_id"       INTEGER NOT NULL,
  "file_id"      INTEGER NOT NULL,
  "batch_offset" BIGINT NOT NULL,
  "n"            BIGINT NOT NULL,
  PRIMARY KEY ("bucket", "dim_id", "file_id", "batch_offset")
);
CREATE TABLE "rollup_insight_hour" (LIKE "rollup_insight_minute" INCLUDING ALL);

-- The template key of a t/tq/b/rb record ('' when it has no diagnostic; NULL for other types), so
-- the records behind a reason are listed exactly (`template=` of the records API): templates are
-- computed by the ingest in JavaScript and cannot be recomputed in SQL. Nullable without a
-- default: adding it is a catalogue change, existing rows stay NULL (ingested before insights).
ALTER TABLE "acct_record" ADD COLUMN "diag_key" TEXT;
