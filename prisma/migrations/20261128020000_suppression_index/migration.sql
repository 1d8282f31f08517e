-- Suppressions (GET /api/v1/suppressions): the recipients to remove from a list, at their first
-- hard bounce, remote bounce or complaint. Those events are a small share of the records, so both
-- indexes are partial; created on the partitioned parent, they cascade to every day partition,
-- present and future. IF NOT EXISTS keeps the migration safe to re-run by hand.

-- Lists the entries in (time, recipient) order: the keyset cursor is an index condition and a
-- LIMIT reads only the rows it returns (a merge of the day partitions in index order).
CREATE INDEX IF NOT EXISTS "acct_record_suppression_time_idx"
  ON "acct_record" ("time_logged", lower("rcpt"))
  WHERE "type" IN ('b', 'rb', 'f') AND "rcpt" IS NOT NULL;

-- Finds a recipient's other events (was there an earlier one? how many in all?): one probe per
-- day partition, the earlier-event test an index condition. (No INCLUDE of type/bounce_cat: an
-- expression index on lower(rcpt) cannot serve an index-only scan anyway.)
CREATE INDEX IF NOT EXISTS "acct_record_suppression_rcpt_idx"
  ON "acct_record" (lower("rcpt"), "time_logged", "file_id", "byte_offset")
  WHERE "type" IN ('b', 'rb', 'f') AND "rcpt" IS NOT NULL;
