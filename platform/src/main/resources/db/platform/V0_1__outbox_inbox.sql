-- Shared by every service: the transactional outbox and the idempotent inbox (DESIGN.md, rules 1 and 2).
CREATE TABLE outbox_event (
    id          BIGSERIAL PRIMARY KEY,
    event_id    VARCHAR(64)  NOT NULL UNIQUE,
    topic       VARCHAR(200) NOT NULL,
    event_key   VARCHAR(200) NOT NULL,
    type        VARCHAR(200) NOT NULL,
    payload     TEXT         NOT NULL,
    created_at  TIMESTAMPTZ  NOT NULL
);

CREATE TABLE processed_event (
    id           VARCHAR(300) PRIMARY KEY,
    consumer     VARCHAR(100) NOT NULL,
    event_id     VARCHAR(200) NOT NULL,
    event_type   VARCHAR(200),
    processed_at TIMESTAMPTZ  NOT NULL
);
