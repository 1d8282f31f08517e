-- Drill-down indexes for the records list (GET /api/v1/records, the records explorer): newest
-- first within one recipient domain or provider. Without them a filter on a small domain walks
-- the time index backwards through every other domain's rows (seconds over a 90-day window);
-- with them a page reads ~limit rows. Created on the partitioned parent, so every day partition,
-- existing and future, gets its own index. The keyset order (time_logged, file_id, byte_offset)
-- is completed by an incremental sort over the few rows that share a time_logged.
CREATE INDEX "acct_record_rcpt_domain_time_idx" ON "acct_record" ("rcpt_domain", "time_logged");
CREATE INDEX "acct_record_provider_time_idx" ON "acct_record" ("provider", "time_logged");
