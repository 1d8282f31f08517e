-- The hour rollups by dimension tuple, then time: a count that filters the star rollups (a pool's,
-- VirtualMTA's, sending IP's or job's page broken down by another dimension, a provider's bounce
-- categories) picks its tuples from acct_dim first and reads only their hour rows; the insight
-- views of one provider, domain, VirtualMTA or pool likewise from insight_dim. Keyed by time
-- alone, every hour row of the window was read and joined (a 7-day window on 2M records: ~290,000
-- star and ~230,000 insight rows for a pool's 36,000 and 4,700). `n` is included so that the rows
-- are counted from the index alone. Not modelled in schema.prisma, which cannot express INCLUDE
-- (as rollup_slice_hour_key_idx).
CREATE INDEX "rollup_hour_dim_idx" ON "rollup_hour" ("dim_id", "bucket") INCLUDE ("n");
CREATE INDEX "rollup_insight_hour_dim_idx" ON "rollup_insight_hour" ("dim_id", "bucket") INCLUDE ("n");
