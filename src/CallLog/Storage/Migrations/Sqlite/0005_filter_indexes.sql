-- Indexes for the richer list filters and sorts (docs/scaling.md lists which filter uses which).
-- Phone numbers: NOCASE so that LIKE '+1555%' (prefix) and LIKE '+15551234567' (exact) can use it; the
-- numbers have no letters, so NOCASE changes nothing else.
CREATE INDEX calls_by_phone    ON calls (workspace_id, phone_number COLLATE NOCASE, started_at DESC, id DESC);
CREATE INDEX calls_by_contact  ON calls (workspace_id, contact_id, started_at DESC, id DESC);
-- Sort by duration: calls without one (in progress) sort as -1. Queries use exactly this expression.
CREATE INDEX calls_by_duration ON calls (workspace_id, (COALESCE(duration_seconds, -1)) DESC, id DESC);
