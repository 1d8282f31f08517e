-- Where the minute rollups (rollup_minute, rollup_insight_minute, rollup_slice_minute) are complete
-- from. The worker deletes their rows past MINUTE_ROLLUP_RETENTION_DAYS; before it deletes any, it
-- publishes here the start of the first day it keeps. The app reads it, so that a window needing
-- minutes before it is refused (or read from the hour rollups where those answer it exactly) even
-- when the app was started with another MINUTE_ROLLUP_RETENTION_DAYS than the worker (or none).
-- One row, only ever moved forward.
CREATE TABLE "minute_retention" (
  "id"        BOOLEAN PRIMARY KEY DEFAULT true CHECK ("id"),
  "kept_from" TIMESTAMPTZ(3) NOT NULL
);
