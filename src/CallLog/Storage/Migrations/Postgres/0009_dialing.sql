-- Placing calls (Dialing/). Calls gain two statuses: 4 queued (placed, not yet dialed) and 5 canceled
-- (final), and the variables they were placed with (a JSON object's text). A queued call has one row in
-- dial_queue until the runtime takes it further or it is canceled; times there are Unix milliseconds.
ALTER TABLE calls ADD COLUMN variables text;

CREATE TABLE dial_queue (
    workspace_id bigint NOT NULL,
    call_id      text   NOT NULL,
    agent_id     text   NOT NULL,
    from_number  text,
    due_at       bigint NOT NULL,   -- not dialed before: scheduled_at, or the retry_at of a release
    expires_at   bigint,            -- given up after
    lease_until  bigint,            -- handed to a runtime until then; NULL when waiting
    attempts     bigint NOT NULL,
    PRIMARY KEY (workspace_id, call_id)
);
-- A claim reads a workspace's waiting calls in due order; leased ones are counted per agent.
CREATE INDEX dial_queue_due ON dial_queue (workspace_id, due_at, call_id);
CREATE INDEX dial_queue_leased ON dial_queue (workspace_id, agent_id, lease_until) WHERE lease_until IS NOT NULL;

-- Numbers never to call, per workspace (E.164).
CREATE TABLE do_not_call (
    workspace_id bigint NOT NULL,
    phone_number text   NOT NULL,
    created_at   bigint NOT NULL,
    PRIMARY KEY (workspace_id, phone_number)
);

-- Idempotency-Key of POST /api/v1/calls: the first response, kept for a day, for the same key and body.
CREATE TABLE placements (
    workspace_id    bigint NOT NULL,
    idempotency_key text   NOT NULL,
    request_hash    text   NOT NULL,
    call_id         text   NOT NULL,
    response        text   NOT NULL,
    created_at      bigint NOT NULL,
    PRIMARY KEY (workspace_id, idempotency_key)
);

-- Calls a key may place per UTC day (NULL: no budget), and what each key placed on each day.
ALTER TABLE api_keys ADD COLUMN calls_per_day bigint;
CREATE TABLE key_daily_calls (
    key_id text   NOT NULL,
    day    bigint NOT NULL,   -- days since 1970-01-01, UTC
    calls  bigint NOT NULL,
    PRIMARY KEY (key_id, day)
);

-- Calls of an agent leased or in progress at once (NULL: no limit).
ALTER TABLE agents ADD COLUMN max_concurrent_calls bigint;
