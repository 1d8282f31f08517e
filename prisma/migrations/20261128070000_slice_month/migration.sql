-- Month grain of the slice rollups (UTC calendar months). A breakdown over a long range reads a
-- row per (day, value, type) from the day grain: 90 days by recipient domain were 292,000 rows
-- on the 10M benchmark set (~105 ms of SQL, warm); whole months inside the range now read one row
-- per value and type instead of one per day. Serves counts without buckets only (summaries,
-- breakdowns); day buckets keep reading days. Written, summed and compacted like the other grains.
CREATE TABLE "rollup_slice_month" (LIKE "rollup_slice_minute" INCLUDING ALL);

-- Existing data: the day rows summed per UTC month, one compacted row per key.
INSERT INTO "rollup_slice_month" ("kind", "bucket", "key", "type", "file_id", "batch_offset", "n")
SELECT d.kind, date_trunc('month', d.bucket, 'UTC'), d.key, d.type, 0, k.batch_offset, SUM(d.n)
  FROM rollup_slice_day d, (SELECT -nextval('rollup_compaction_seq') AS batch_offset) k
 GROUP BY 1, 2, 3, 4, 6;
