-- The event log (Events/EventLog.cs): one row per change, written in the change's transaction.
-- event_counters hands out each workspace's event numbers; its row lock, held from the moment a write
-- takes its numbers until it commits, makes the numbers of one workspace commit in order.
CREATE TABLE event_counters (
    workspace_id bigint PRIMARY KEY REFERENCES workspaces (id),
    last_seq     bigint NOT NULL
);

CREATE TABLE events (
    workspace_id bigint NOT NULL REFERENCES workspaces (id),
    seq          bigint NOT NULL,
    type         text   NOT NULL,
    created_at   bigint NOT NULL,
    data         text   NOT NULL,
    PRIMARY KEY (workspace_id, seq)
);
