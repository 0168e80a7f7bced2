-- Campaigns (Dialing/): a batch of calls placed at once for one agent, dialed within a calling window.
-- The window is minutes of the day in the campaign's IANA time zone and a set of weekdays (bit 0 Monday
-- to bit 6 Sunday); NULL start means no window. Times are Unix milliseconds except created_at (seconds).
CREATE TABLE campaigns (
    workspace_id         bigint NOT NULL,
    id                   text   NOT NULL,
    name                 text   NOT NULL,
    agent_id             text   NOT NULL,
    from_number          text,
    scheduled_at         bigint,
    window_start         bigint,
    window_end           bigint,
    time_zone            text,
    days                 bigint,
    max_concurrent_calls bigint,
    state                text   NOT NULL,   -- active, paused, canceled
    recipients           bigint NOT NULL,
    skipped              bigint NOT NULL,   -- on the do-not-call list when the campaign was created
    created_at           bigint NOT NULL,
    PRIMARY KEY (workspace_id, id)
);
CREATE INDEX campaigns_by_time ON campaigns (workspace_id, created_at, id);

ALTER TABLE calls ADD COLUMN campaign_id text;
ALTER TABLE dial_queue ADD COLUMN campaign_id text;
-- A campaign's calls: its counts by status, its calls in progress, and the list's campaign_id filter in list order.
CREATE INDEX calls_by_campaign_status ON calls (workspace_id, campaign_id, status) WHERE campaign_id IS NOT NULL;
CREATE INDEX calls_by_campaign ON calls (workspace_id, campaign_id, started_at DESC, id DESC) WHERE campaign_id IS NOT NULL;
CREATE INDEX dial_queue_campaign ON dial_queue (workspace_id, campaign_id, lease_until) WHERE campaign_id IS NOT NULL;
-- A claim gives up expired calls first: it finds them by their expiry, not by reading the queue.
CREATE INDEX dial_queue_expires ON dial_queue (workspace_id, expires_at) WHERE expires_at IS NOT NULL;
-- The queue is a hot table: every claim updates its rows, and a claim's reads step over the versions they
-- leave until vacuum removes them. Vacuum it after 1% of its rows changed, not PostgreSQL's default 20%.
ALTER TABLE dial_queue SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 1000, autovacuum_analyze_scale_factor = 0.02);
