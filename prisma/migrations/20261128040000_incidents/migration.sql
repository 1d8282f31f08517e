-- Incidents: a provider × VirtualMTA (or × pool) whose bounce, deferral or complaint rate in the
-- recent window left its own baseline. Opened and closed by the incident monitor (lib/incidents).
CREATE TABLE "incident" (
  "id"            SERIAL PRIMARY KEY,
  "slice_kind"    TEXT NOT NULL,
  "provider"      TEXT NOT NULL,
  "sender"        TEXT NOT NULL,
  "metric"        TEXT NOT NULL,
  "baseline_rate" DOUBLE PRECISION,
  "current_rate"  DOUBLE PRECISION NOT NULL,
  "peak_rate"     DOUBLE PRECISION NOT NULL,
  "threshold"     DOUBLE PRECISION NOT NULL,
  "events"        BIGINT NOT NULL,
  "volume"        BIGINT NOT NULL,
  "started_at"    TIMESTAMPTZ(3) NOT NULL,
  "detected_at"   TIMESTAMPTZ(3) NOT NULL,
  "evaluated_at"  TIMESTAMPTZ(3) NOT NULL,
  "resolved_at"   TIMESTAMPTZ(3),
  "evidence"      JSONB NOT NULL DEFAULT '{}'
);

-- At most one open incident per slice and metric: the monitor updates it until it closes.
CREATE UNIQUE INDEX "incident_open_key" ON "incident" ("slice_kind", "provider", "sender", "metric")
  WHERE "resolved_at" IS NULL;
CREATE INDEX "incident_started_at_idx" ON "incident" ("started_at");
