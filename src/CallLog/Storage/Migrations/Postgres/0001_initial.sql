-- CallLog schema, version 1, PostgreSQL. The same tables, keys and indexes as the SQLite schema.
-- Every data table leads with workspace_id, and every key, index and query carries it, so the calls,
-- agents, contacts and call_tallies tables can be distributed by workspace_id (Citus) as they are;
-- workspaces, api_keys and settings are small and would be reference tables. See docs/scaling.md.
-- Timestamps are Unix seconds (bigint), so the SQL is the same on both stores.
-- Ids use the "C" collation: byte order, as in SQLite, so both stores page in the same order.

CREATE TABLE workspaces (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text   NOT NULL UNIQUE,
    created_at bigint NOT NULL
);

CREATE TABLE api_keys (
    id           text   PRIMARY KEY,
    workspace_id bigint NOT NULL REFERENCES workspaces (id),
    name         text   NOT NULL,
    prefix       text   NOT NULL,
    secret_hash  bytea  NOT NULL UNIQUE,   -- SHA-256 of the secret; the secret itself is never stored
    permissions  text   NOT NULL,
    created_at   bigint NOT NULL,
    expires_at   bigint,
    revoked_at   bigint,
    last_used_at bigint
);

CREATE TABLE agents (
    workspace_id bigint NOT NULL,
    id           text COLLATE "C" NOT NULL,
    name         text,
    PRIMARY KEY (workspace_id, id)
);

CREATE TABLE contacts (
    workspace_id bigint NOT NULL,
    id           bigint NOT NULL,
    name         text,
    email        text,
    company      text,
    PRIMARY KEY (workspace_id, id)
);

CREATE TABLE calls (
    workspace_id     bigint   NOT NULL,
    started_at       bigint   NOT NULL,
    ended_at         bigint,
    contact_id       bigint,
    duration_seconds integer,
    status           smallint NOT NULL,   -- 1 completed, 2 failed, 3 in-progress
    type             smallint NOT NULL,   -- 1 inbound, 2 outbound
    id               text COLLATE "C" NOT NULL,
    agent_id         text COLLATE "C" NOT NULL,
    phone_number     text     NOT NULL,
    summary          text,
    recording_url    text,
    PRIMARY KEY (workspace_id, id)
);

CREATE INDEX calls_by_time              ON calls (workspace_id, started_at DESC, id DESC);
CREATE INDEX calls_by_agent             ON calls (workspace_id, agent_id, started_at DESC, id DESC);
CREATE INDEX calls_by_status_type       ON calls (workspace_id, status, type, started_at DESC, id DESC);
CREATE INDEX calls_by_agent_status_type ON calls (workspace_id, agent_id, status, type, started_at DESC, id DESC);

-- Exact counts without scanning calls, kept in the same transaction as every write.
CREATE TABLE call_tallies (
    workspace_id bigint   NOT NULL,
    agent_id     text COLLATE "C" NOT NULL,
    status       smallint NOT NULL,
    type         smallint NOT NULL,
    calls        bigint   NOT NULL,
    PRIMARY KEY (workspace_id, agent_id, status, type)
);

-- Statement-level triggers with transition tables: a bulk import of a million rows updates each
-- tally row once, with the statement's net change, instead of a million times.
CREATE FUNCTION calls_tally_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO call_tallies AS t (workspace_id, agent_id, status, type, calls)
    SELECT workspace_id, agent_id, status, type, count(*) FROM new_rows GROUP BY 1, 2, 3, 4
    ON CONFLICT (workspace_id, agent_id, status, type) DO UPDATE SET calls = t.calls + excluded.calls;
    RETURN NULL;
END $$;

CREATE FUNCTION calls_tally_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE call_tallies AS t SET calls = t.calls - d.n
    FROM (SELECT workspace_id, agent_id, status, type, count(*) AS n FROM old_rows GROUP BY 1, 2, 3, 4) d
    WHERE t.workspace_id = d.workspace_id AND t.agent_id = d.agent_id AND t.status = d.status AND t.type = d.type;
    RETURN NULL;
END $$;

CREATE FUNCTION calls_tally_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO call_tallies AS t (workspace_id, agent_id, status, type, calls)
    SELECT workspace_id, agent_id, status, type, sum(delta) FROM (
        SELECT workspace_id, agent_id, status, type, 1 AS delta FROM new_rows
        UNION ALL
        SELECT workspace_id, agent_id, status, type, -1 FROM old_rows
    ) changes
    GROUP BY 1, 2, 3, 4
    HAVING sum(delta) <> 0
    ON CONFLICT (workspace_id, agent_id, status, type) DO UPDATE SET calls = t.calls + excluded.calls;
    RETURN NULL;
END $$;

CREATE TRIGGER calls_tally_insert AFTER INSERT ON calls
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION calls_tally_insert();
CREATE TRIGGER calls_tally_delete AFTER DELETE ON calls
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION calls_tally_delete();
CREATE TRIGGER calls_tally_update AFTER UPDATE ON calls
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION calls_tally_update();

CREATE TABLE settings (
    name  text  PRIMARY KEY,
    value bytea NOT NULL
);
