-- Webhook endpoints and their deliveries (Webhooks/); every time is in Unix milliseconds. An endpoint's
-- last_seq is the last event of its workspace it has been given deliveries for: the dispatcher fans newer
-- events out from the event log.
CREATE TABLE webhooks (
    id                    TEXT    PRIMARY KEY,
    workspace_id          INTEGER NOT NULL REFERENCES workspaces (id),
    url                   TEXT    NOT NULL,
    events                TEXT    NOT NULL,
    description           TEXT,
    enabled               INTEGER NOT NULL,
    disabled_reason       TEXT,
    secret                TEXT    NOT NULL,
    previous_secret       TEXT,
    previous_secret_until INTEGER,
    created_at            INTEGER NOT NULL,
    last_seq              INTEGER NOT NULL,
    failing_since         INTEGER
);
CREATE INDEX webhooks_by_workspace ON webhooks (workspace_id, created_at);

-- One row per (endpoint, event) to send, and what its latest attempt got.
-- event_seq finds the event in the log; webhook.test is not in it and carries its own event_id and body.
-- order_key is the call an event is about: one call's deliveries go in event order.
CREATE TABLE webhook_deliveries (
    id              INTEGER PRIMARY KEY,
    webhook_id      TEXT    NOT NULL REFERENCES webhooks (id),
    workspace_id    INTEGER NOT NULL,
    event_id        TEXT,
    event_seq       INTEGER,
    event_type      TEXT    NOT NULL,
    body            TEXT,
    order_key       TEXT,
    status          TEXT    NOT NULL,
    attempts        INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    lease_until     INTEGER,
    created_at      INTEGER NOT NULL,
    last_attempt_at INTEGER,
    response_status INTEGER,
    latency_ms      INTEGER,
    error           TEXT,
    response_body   TEXT
);
CREATE INDEX webhook_deliveries_log ON webhook_deliveries (webhook_id, id);
-- A claim reads an endpoint's due deliveries in (next_attempt_at, id) order and counts its leased ones.
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (webhook_id, next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_leased ON webhook_deliveries (webhook_id, lease_until) WHERE lease_until IS NOT NULL;
CREATE INDEX webhook_deliveries_order ON webhook_deliveries (webhook_id, order_key, event_seq) WHERE status = 'pending';
