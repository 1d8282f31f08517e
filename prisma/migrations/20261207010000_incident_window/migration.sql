-- The length of the window an incident's rates were judged over (INCIDENT_WINDOW_MINUTES of the
-- monitor that last judged it), so a card can say "over the latest 30-min window". NULL for the
-- incidents opened before this migration: their window was not recorded.
ALTER TABLE "incident" ADD COLUMN "window_minutes" INTEGER;
