-- The earliest record read from each file, beside its latest: the ingest screen links a file's
-- record count to the records explorer over the file's span. Nullable without a default: no table
-- rewrite. Files read before this migration keep NULL (their count is shown without a link): filling
-- it would read every raw row, and acct_record has no index on file_id.
ALTER TABLE "acct_file" ADD COLUMN "first_record_at" TIMESTAMPTZ(3);
