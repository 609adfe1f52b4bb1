-- Outgoing webhooks (dev.stagecraft.release.webhook): who wants which lifecycle events, and one delivery per
-- (subscription, event), written in the Kafka consumer's transaction and sent later by WebhookDispatcher.

CREATE TABLE webhook_subscription (
    id          VARCHAR(36)  PRIMARY KEY,
    url         TEXT         NOT NULL,
    -- Kept as given: signing needs the secret itself, so it cannot be hashed. Never shown by the API.
    secret      TEXT         NOT NULL,
    events      TEXT         NOT NULL, -- JSON list of short names, or ["*"]
    created_at  TIMESTAMPTZ  NOT NULL
);

CREATE TABLE webhook_delivery (
    id               VARCHAR(36)  PRIMARY KEY, -- X-Stagecraft-Delivery: the same on every attempt
    -- Deleting a subscription drops its deliveries: nobody is left to send them to.
    subscription_id  VARCHAR(36)  NOT NULL REFERENCES webhook_subscription (id) ON DELETE CASCADE,
    event_type       VARCHAR(100) NOT NULL, -- short name, e.g. deployment.succeeded
    event_id         VARCHAR(200) NOT NULL, -- ce_id of the Kafka event
    payload          TEXT         NOT NULL, -- the exact body sent on every attempt
    status           VARCHAR(16)  NOT NULL, -- PENDING, DELIVERED, FAILED
    attempts         INTEGER      NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMPTZ,           -- null once DELIVERED or FAILED
    last_status_code INTEGER,
    last_error       TEXT,
    created_at       TIMESTAMPTZ  NOT NULL,
    delivered_at     TIMESTAMPTZ,
    failed_at        TIMESTAMPTZ,
    -- The inbox already applies each event once; this makes a second delivery impossible even so.
    CONSTRAINT one_delivery_per_event UNIQUE (subscription_id, event_id)
);
-- What the sender scans every pass: only the pending rows, by due time.
CREATE INDEX webhook_delivery_due ON webhook_delivery (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX webhook_delivery_by_subscription ON webhook_delivery (subscription_id, created_at DESC);

CREATE TABLE webhook_attempt (
    id           BIGSERIAL    PRIMARY KEY,
    delivery_id  VARCHAR(36)  NOT NULL REFERENCES webhook_delivery (id) ON DELETE CASCADE,
    attempt      INTEGER      NOT NULL,
    at           TIMESTAMPTZ  NOT NULL,
    status_code  INTEGER,                -- null when no HTTP answer came (refused, timed out)
    error        TEXT,
    duration_ms  BIGINT       NOT NULL
);
CREATE INDEX webhook_attempt_by_delivery ON webhook_attempt (delivery_id, attempt);
