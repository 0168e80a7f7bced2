-- The event log (Events/EventLog.cs): one row per change, written in the change's transaction.
-- event_counters hands out each workspace's event numbers; it outlives pruned events, so a number is
-- never handed out twice.
CREATE TABLE event_counters (
    workspace_id INTEGER PRIMARY KEY REFERENCES workspaces (id),
    last_seq     INTEGER NOT NULL
);

CREATE TABLE events (
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    seq          INTEGER NOT NULL,
    type         TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    data         TEXT    NOT NULL,
    PRIMARY KEY (workspace_id, seq)
) WITHOUT ROWID;
