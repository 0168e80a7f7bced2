-- CallLog schema, version 1.
-- Every data table is keyed by workspace_id first: no query ever crosses workspaces, and the same
-- layout distributes by workspace_id (Citus) on PostgreSQL.
-- Timestamps are Unix seconds, UTC: compact, sortable, and the same SQL on every store.

CREATE TABLE workspaces (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
);

CREATE TABLE api_keys (
    id           TEXT    PRIMARY KEY,          -- public id, e.g. key_3xV...; used by `keys revoke`
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    name         TEXT    NOT NULL,
    prefix       TEXT    NOT NULL,             -- first characters of the secret, for display only
    secret_hash  BLOB    NOT NULL UNIQUE,      -- SHA-256 of the secret; the secret itself is never stored
    permissions  TEXT    NOT NULL,             -- comma-separated, e.g. can_read_calls,can_write_calls
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER,
    revoked_at   INTEGER,
    last_used_at INTEGER
);

CREATE TABLE agents (
    workspace_id INTEGER NOT NULL,
    id           TEXT    NOT NULL,
    name         TEXT,
    PRIMARY KEY (workspace_id, id)
) WITHOUT ROWID;

CREATE TABLE contacts (
    workspace_id INTEGER NOT NULL,
    id           INTEGER NOT NULL,
    name         TEXT,
    email        TEXT,
    company      TEXT,
    PRIMARY KEY (workspace_id, id)
) WITHOUT ROWID;

-- A rowid table on purpose: secondary indexes then point at an 8-byte rowid, not at (workspace_id, id).
CREATE TABLE calls (
    workspace_id     INTEGER NOT NULL,
    id               TEXT    NOT NULL,
    agent_id         TEXT    NOT NULL,
    status           INTEGER NOT NULL,         -- 1 completed, 2 failed, 3 in-progress
    type             INTEGER NOT NULL,         -- 1 inbound, 2 outbound
    phone_number     TEXT    NOT NULL,
    started_at       INTEGER NOT NULL,
    ended_at         INTEGER,
    duration_seconds INTEGER,
    summary          TEXT,
    recording_url    TEXT,
    contact_id       INTEGER,
    UNIQUE (workspace_id, id)
);

-- One index per seed filter, each ending in the list order (started_at DESC, id DESC), so a page is
-- read straight off the index and LIMIT stops after `limit` rows instead of sorting every match.
CREATE INDEX calls_by_time   ON calls (workspace_id, started_at DESC, id DESC);
CREATE INDEX calls_by_agent  ON calls (workspace_id, agent_id, started_at DESC, id DESC);
CREATE INDEX calls_by_status ON calls (workspace_id, status, started_at DESC, id DESC);
CREATE INDEX calls_by_type   ON calls (workspace_id, type, started_at DESC, id DESC);
