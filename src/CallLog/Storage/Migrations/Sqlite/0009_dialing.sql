-- Placing calls (Dialing/). Calls gain two statuses: 4 queued (placed, not yet dialed) and 5 canceled
-- (final), and the variables they were placed with (a JSON object's text). A queued call has one row in
-- dial_queue until the runtime takes it further or it is canceled; times there are Unix milliseconds.
ALTER TABLE calls ADD COLUMN variables TEXT;

CREATE TABLE dial_queue (
    workspace_id INTEGER NOT NULL,
    call_id      TEXT   NOT NULL,
    agent_id     TEXT   NOT NULL,
    from_number  TEXT,
    due_at       INTEGER NOT NULL,   -- not dialed before: scheduled_at, or the retry_at of a release
    expires_at   INTEGER,            -- given up after
    lease_until  INTEGER,            -- handed to a runtime until then; NULL when waiting
    attempts     INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, call_id)
);
-- A claim reads a workspace's waiting calls in due order; leased ones are counted per agent.
CREATE INDEX dial_queue_due ON dial_queue (workspace_id, due_at, call_id);
CREATE INDEX dial_queue_leased ON dial_queue (workspace_id, agent_id, lease_until) WHERE lease_until IS NOT NULL;

-- Numbers never to call, per workspace (E.164).
CREATE TABLE do_not_call (
    workspace_id INTEGER NOT NULL,
    phone_number TEXT   NOT NULL,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, phone_number)
);

-- Idempotency-Key of POST /api/v1/calls: the first response, kept for a day, for the same key and body.
CREATE TABLE placements (
    workspace_id    INTEGER NOT NULL,
    idempotency_key TEXT   NOT NULL,
    request_hash    TEXT   NOT NULL,
    call_id         TEXT   NOT NULL,
    response        TEXT   NOT NULL,
    created_at      INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, idempotency_key)
);

-- Calls a key may place per UTC day (NULL: no budget), and what each key placed on each day.
ALTER TABLE api_keys ADD COLUMN calls_per_day INTEGER;
CREATE TABLE key_daily_calls (
    key_id TEXT   NOT NULL,
    day    INTEGER NOT NULL,   -- days since 1970-01-01, UTC
    calls  INTEGER NOT NULL,
    PRIMARY KEY (key_id, day)
);

-- Calls of an agent leased or in progress at once (NULL: no limit).
ALTER TABLE agents ADD COLUMN max_concurrent_calls INTEGER;
