-- The raw rows' (provider, time_logged) index goes: it was the largest single cost of the ingest in
-- PostgreSQL left (~15 % of its CPU per record: a B-tree descent through text keys for every row).
-- A provider's records are found instead through the recipient-domain index, by the domains the
-- provider has in acct_dim (every raw row's domain and provider are one of acct_dim's tuples), or,
-- for a provider with many rows, by walking the time index backwards, as for a VirtualMTA or a job.
DROP INDEX IF EXISTS "acct_record_provider_time_idx";
-- The domains of a provider, read from the dictionary (thousands of rows) without a scan of it.
CREATE INDEX "acct_dim_provider_domain_idx" ON "acct_dim" ("provider", "rcpt_domain");
