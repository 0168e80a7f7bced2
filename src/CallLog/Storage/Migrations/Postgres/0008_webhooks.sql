-- Webhook endpoints and their deliveries (Webhooks/); every time is in Unix milliseconds. An endpoint's
-- last_seq is the last event of its workspace it has been given deliveries for: the dispatcher fans newer
-- events out from the event log.
CREATE TABLE webhooks (
    id                    text    PRIMARY KEY,
    workspace_id          bigint  NOT NULL REFERENCES workspaces (id),
    url                   text    NOT NULL,
    events                text    NOT NULL,
    description           text,
    enabled               bigint  NOT NULL,
    disabled_reason       text,
    secret                text    NOT NULL,
    previous_secret       text,
    previous_secret_until bigint,
    created_at            bigint  NOT NULL,
    last_seq              bigint  NOT NULL,
    failing_since         bigint
);
CREATE INDEX webhooks_by_workspace ON webhooks (workspace_id, created_at);

-- One row per (endpoint, event) to send, and what its latest attempt got.
-- event_seq finds the event in the log; webhook.test is not in it and carries its own event_id and body.
-- order_key is the call an event is about: one call's deliveries go in event order.
CREATE TABLE webhook_deliveries (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    webhook_id      text    NOT NULL REFERENCES webhooks (id),
    workspace_id    bigint  NOT NULL,
    event_id        text,
    event_seq       bigint,
    event_type      text    NOT NULL,
    body            text,
    order_key       text,
    status          text    NOT NULL,
    attempts        bigint  NOT NULL,
    next_attempt_at bigint  NOT NULL,
    lease_until     bigint,
    created_at      bigint  NOT NULL,
    last_attempt_at bigint,
    response_status bigint,
    latency_ms      bigint,
    error           text,
    response_body   text
);
CREATE INDEX webhook_deliveries_log ON webhook_deliveries (webhook_id, id);
-- A claim reads an endpoint's due deliveries in (next_attempt_at, id) order and counts its leased ones.
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (webhook_id, next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_leased ON webhook_deliveries (webhook_id, lease_until) WHERE lease_until IS NOT NULL;
CREATE INDEX webhook_deliveries_order ON webhook_deliveries (webhook_id, order_key, event_seq) WHERE status = 'pending';
