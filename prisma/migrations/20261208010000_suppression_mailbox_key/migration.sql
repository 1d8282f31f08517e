-- Suppressions: a recipient is one mailbox, whatever its spelling. The indexes of 20261128020000
-- keyed it by lower(rcpt), so `hans@xn--bcher-kva.de` and `HANS@bücher.de` (one mailbox: the
-- domain in punycode, then in Unicode) were two entries, one event each. The key is now the local
-- part (everything before the last '@') lower-cased, '@', and rcpt_domain, which the ingest stores
-- lower-case with IDN as Unicode. lib/queries/suppression-sql.ts (recipientKey) writes the same
-- expression, character for character: the planner uses an expression index only for an identical
-- one. Same partial predicate and columns as before; on the partitioned parent, so each cascades
-- to every day partition, present and future.

DROP INDEX IF EXISTS "acct_record_suppression_time_idx";
DROP INDEX IF EXISTS "acct_record_suppression_rcpt_idx";

-- Lists the entries in (time, mailbox) order: the keyset cursor is an index condition and a LIMIT
-- reads only the rows it returns (a merge of the day partitions in index order).
CREATE INDEX IF NOT EXISTS "acct_record_suppression_time_idx"
  ON "acct_record" ("time_logged", (lower(left("rcpt", length("rcpt") - strpos(reverse("rcpt"), '@'))) || '@' || "rcpt_domain"))
  WHERE "type" IN ('b', 'rb', 'f') AND "rcpt" IS NOT NULL;

-- Finds a mailbox's other events (was there an earlier one? how many in all?): one probe per day
-- partition, the earlier-event test an index condition.
CREATE INDEX IF NOT EXISTS "acct_record_suppression_key_idx"
  ON "acct_record" ((lower(left("rcpt", length("rcpt") - strpos(reverse("rcpt"), '@'))) || '@' || "rcpt_domain"), "time_logged", "file_id", "byte_offset")
  WHERE "type" IN ('b', 'rb', 'f') AND "rcpt" IS NOT NULL;
