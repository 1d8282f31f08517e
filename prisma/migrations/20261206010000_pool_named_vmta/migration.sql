-- A pool's name logged as a record's VirtualMTA (vmta = vmta_pool: a received record injected into
-- a pool) is no VirtualMTA: since this migration the ingest counts such records under VirtualMTA ''
-- (none) and their pool (sendingVmta in lib/acct/vmta.ts), and raw-row reads apply the same rule
-- (NULLIF(vmta, vmta_pool)). This moves the counts of earlier records the same way, so old and new
-- records agree and the pools no longer show up as VirtualMTAs.
--
-- Only names that were never logged beside another pool are moved: the slice rollups know a
-- record's VirtualMTA but not its pool, so a name also logged with another pool (PowerMTA's names
-- are one namespace, so this should not occur) keeps its old counts everywhere, consistently.
-- The raw rows are left as logged. The old dictionary rows are kept, with no counts (a worker of
-- the previous version still running would otherwise count into ids that no longer exist).

CREATE TEMP TABLE "pool_named" ON COMMIT DROP AS
  SELECT "vmta" AS "name" FROM "acct_dim" WHERE "vmta" <> '' GROUP BY "vmta" HAVING bool_and("vmta" = "vmta_pool");

-- The star rollups' tuples: each moved tuple's counts go to its tuple with VirtualMTA ''.
INSERT INTO "acct_dim" ("type", "source", "rcpt_domain", "provider", "vmta", "vmta_pool", "source_ip", "job_id", "bounce_cat")
  SELECT "type", "source", "rcpt_domain", "provider", '', "vmta_pool", "source_ip", "job_id", "bounce_cat"
    FROM "acct_dim" WHERE "vmta" IN (SELECT "name" FROM "pool_named")
  ON CONFLICT DO NOTHING;
CREATE TEMP TABLE "dim_moved" ON COMMIT DROP AS
  SELECT o."id" AS "old_id", n."id" AS "new_id" FROM "acct_dim" o JOIN "acct_dim" n
      ON n."type" = o."type" AND n."source" = o."source" AND n."rcpt_domain" = o."rcpt_domain"
     AND n."provider" = o."provider" AND n."vmta" = '' AND n."vmta_pool" = o."vmta_pool"
     AND n."source_ip" = o."source_ip" AND n."job_id" = o."job_id" AND n."bounce_cat" = o."bounce_cat"
   WHERE o."vmta" IN (SELECT "name" FROM "pool_named");

-- The insight rollups' tuples (reasons, latency, DSN codes), the same way.
INSERT INTO "insight_dim" ("kind", "type", "provider", "rcpt_domain", "vmta", "vmta_pool", "queue", "value")
  SELECT "kind", "type", "provider", "rcpt_domain", '', "vmta_pool", "queue", "value"
    FROM "insight_dim" WHERE "vmta" IN (SELECT "name" FROM "pool_named") AND "vmta" = "vmta_pool"
  ON CONFLICT DO NOTHING;
CREATE TEMP TABLE "insight_moved" ON COMMIT DROP AS
  SELECT o."id" AS "old_id", n."id" AS "new_id" FROM "insight_dim" o JOIN "insight_dim" n
      ON n."kind" = o."kind" AND n."type" = o."type" AND n."provider" = o."provider"
     AND n."rcpt_domain" = o."rcpt_domain" AND n."vmta" = '' AND n."vmta_pool" = o."vmta_pool"
     AND n."queue" = o."queue" AND n."value" = o."value"
   WHERE o."vmta" IN (SELECT "name" FROM "pool_named") AND o."vmta" = o."vmta_pool";

-- Each star and insight rollup row of a moved tuple goes to its new tuple, merged with a row the
-- same batch already has there.
DO $$
DECLARE pair TEXT[];
BEGIN
  FOREACH pair SLICE 1 IN ARRAY ARRAY[
    ['rollup_minute', 'dim_moved'], ['rollup_hour', 'dim_moved'],
    ['rollup_insight_minute', 'insight_moved'], ['rollup_insight_hour', 'insight_moved']
  ] LOOP
    EXECUTE format(
      'WITH moved AS (
         DELETE FROM %1$I r USING %2$I m WHERE r."dim_id" = m."old_id"
         RETURNING r."bucket", m."new_id", r."file_id", r."batch_offset", r."n")
       INSERT INTO %1$I ("bucket", "dim_id", "file_id", "batch_offset", "n")
         SELECT "bucket", "new_id", "file_id", "batch_offset", sum("n") FROM moved GROUP BY 1, 2, 3, 4
         ON CONFLICT ("bucket", "dim_id", "file_id", "batch_offset") DO UPDATE SET "n" = %1$I."n" + excluded."n"',
      pair[1], pair[2]);
  END LOOP;
END $$;

-- The VirtualMTA slices (kind 4, see lib/db/slice-kinds.ts): a moved name's rows go to key ''.
DO $$
DECLARE t TEXT;
BEGIN
  FOREACH t IN ARRAY ARRAY['rollup_slice_minute', 'rollup_slice_hour', 'rollup_slice_day', 'rollup_slice_month'] LOOP
    EXECUTE format(
      'WITH moved AS (
         DELETE FROM %1$I WHERE "kind" = 4 AND "key" IN (SELECT "name" FROM "pool_named")
         RETURNING "kind", "bucket", "type", "file_id", "batch_offset", "n")
       INSERT INTO %1$I ("kind", "bucket", "key", "type", "file_id", "batch_offset", "n")
         SELECT "kind", "bucket", '''', "type", "file_id", "batch_offset", sum("n") FROM moved GROUP BY 1, 2, 4, 5, 6
         ON CONFLICT ("kind", "bucket", "key", "type", "file_id", "batch_offset") DO UPDATE SET "n" = %1$I."n" + excluded."n"', t);
  END LOOP;
END $$;

-- The sending-IP map counts VirtualMTAs of d and b records only, which never carry a pool's name
-- as their VirtualMTA; a row that does is dropped, as the ingest no longer tallies one.
DELETE FROM "vmta_ip" WHERE "vmta" <> '' AND "vmta" = "vmta_pool";
