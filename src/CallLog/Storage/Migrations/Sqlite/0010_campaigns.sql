-- Campaigns (Dialing/): a batch of calls placed at once for one agent, dialed within a calling window.
-- The window is minutes of the day in the campaign's IANA time zone and a set of weekdays (bit 0 Monday
-- to bit 6 Sunday); NULL start means no window. Times are Unix milliseconds except created_at (seconds).
CREATE TABLE campaigns (
    workspace_id         INTEGER NOT NULL,
    id                   TEXT   NOT NULL,
    name                 TEXT   NOT NULL,
    agent_id             TEXT   NOT NULL,
    from_number          TEXT,
    scheduled_at         INTEGER,
    window_start         INTEGER,
    window_end           INTEGER,
    time_zone            TEXT,
    days                 INTEGER,
    max_concurrent_calls INTEGER,
    state                TEXT   NOT NULL,   -- active, paused, canceled
    recipients           INTEGER NOT NULL,
    skipped              INTEGER NOT NULL,   -- on the do-not-call list when the campaign was created
    created_at           INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, id)
);
CREATE INDEX campaigns_by_time ON campaigns (workspace_id, created_at, id);

ALTER TABLE calls ADD COLUMN campaign_id TEXT;
ALTER TABLE dial_queue ADD COLUMN campaign_id TEXT;
-- A campaign's calls: its counts by status, its calls in progress, and the list's campaign_id filter in list order.
CREATE INDEX calls_by_campaign_status ON calls (workspace_id, campaign_id, status) WHERE campaign_id IS NOT NULL;
CREATE INDEX calls_by_campaign ON calls (workspace_id, campaign_id, started_at DESC, id DESC) WHERE campaign_id IS NOT NULL;
CREATE INDEX dial_queue_campaign ON dial_queue (workspace_id, campaign_id, lease_until) WHERE campaign_id IS NOT NULL;
-- A claim gives up expired calls first: it finds them by their expiry, not by reading the queue.
CREATE INDEX dial_queue_expires ON dial_queue (workspace_id, expires_at) WHERE expires_at IS NOT NULL;
