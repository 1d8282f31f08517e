-- Where the raw rows are complete from. The worker drops day partitions past RAW_RETENTION_DAYS;
-- before it drops any, it publishes here the start of the first day it keeps. The app reads it, so
-- the edge minutes of an older range come from the star rollups even when the app was started
-- with another RAW_RETENTION_DAYS than the worker (or none). One row, only ever moved forward.
CREATE TABLE "raw_retention" (
  "id"        BOOLEAN PRIMARY KEY DEFAULT true CHECK ("id"),
  "kept_from" TIMESTAMPTZ(3) NOT NULL
);
