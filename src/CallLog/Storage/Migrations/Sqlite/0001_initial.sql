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

-- Indexes. Every list query reads one of these in the list order (started_at DESC, id DESC), so LIMIT
-- stops after about `limit` rows. Status and type have 3 x 2 values: a query filtering on one of them
-- (or on neither, with an agent) merges up to six index ranges, one per (status, type), each already
-- in order, instead of keeping one index per filter combination. See docs/scaling.md.
CREATE INDEX calls_by_time              ON calls (workspace_id, started_at DESC, id DESC);
CREATE INDEX calls_by_agent             ON calls (workspace_id, agent_id, started_at DESC, id DESC);
CREATE INDEX calls_by_status_type       ON calls (workspace_id, status, type, started_at DESC, id DESC);
CREATE INDEX calls_by_agent_status_type ON calls (workspace_id, agent_id, status, type, started_at DESC, id DESC);

-- Exact counts without scanning calls: one row per (workspace, agent, status, type), kept by the
-- triggers below in the same transaction as the write that changes them, whatever wrote it.
CREATE TABLE call_tallies (
    workspace_id INTEGER NOT NULL,
    agent_id     TEXT    NOT NULL,
    status       INTEGER NOT NULL,
    type         INTEGER NOT NULL,
    calls        INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, agent_id, status, type)
) WITHOUT ROWID;

CREATE TRIGGER calls_tally_insert AFTER INSERT ON calls
BEGIN
    INSERT INTO call_tallies (workspace_id, agent_id, status, type, calls)
    VALUES (NEW.workspace_id, NEW.agent_id, NEW.status, NEW.type, 1)
    ON CONFLICT (workspace_id, agent_id, status, type) DO UPDATE SET calls = calls + 1;
END;

CREATE TRIGGER calls_tally_delete AFTER DELETE ON calls
BEGIN
    UPDATE call_tallies SET calls = calls - 1
    WHERE workspace_id = OLD.workspace_id AND agent_id = OLD.agent_id AND status = OLD.status AND type = OLD.type;
END;

CREATE TRIGGER calls_tally_update AFTER UPDATE OF workspace_id, agent_id, status, type ON calls
WHEN OLD.workspace_id IS NOT NEW.workspace_id OR OLD.agent_id IS NOT NEW.agent_id
  OR OLD.status IS NOT NEW.status OR OLD.type IS NOT NEW.type
BEGIN
    UPDATE call_tallies SET calls = calls - 1
    WHERE workspace_id = OLD.workspace_id AND agent_id = OLD.agent_id AND status = OLD.status AND type = OLD.type;
    INSERT INTO call_tallies (workspace_id, agent_id, status, type, calls)
    VALUES (NEW.workspace_id, NEW.agent_id, NEW.status, NEW.type, 1)
    ON CONFLICT (workspace_id, agent_id, status, type) DO UPDATE SET calls = calls + 1;
END;

-- Server-wide secrets shared by every node over the one store (the cursor signing key).
CREATE TABLE settings (
    name  TEXT PRIMARY KEY,
    value BLOB NOT NULL
);
