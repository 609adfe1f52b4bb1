CREATE TABLE saga (
    deployment_id    VARCHAR(36)  PRIMARY KEY,
    strategy         VARCHAR(32)  NOT NULL,
    status           VARCHAR(32)  NOT NULL,
    phase            VARCHAR(32)  NOT NULL,
    state            TEXT         NOT NULL,
    deadline         TIMESTAMPTZ,
    phase_started_at TIMESTAMPTZ  NOT NULL,
    created_at       TIMESTAMPTZ  NOT NULL,
    updated_at       TIMESTAMPTZ  NOT NULL,
    row_version      BIGINT       NOT NULL DEFAULT 0
);
-- The reconciler's sweep: running sagas whose deadline has passed.
CREATE INDEX saga_deadline ON saga (deadline) WHERE phase <> 'DONE';

CREATE TABLE saga_decision (
    id            BIGSERIAL    PRIMARY KEY,
    deployment_id VARCHAR(36)  NOT NULL REFERENCES saga (deployment_id),
    at            TIMESTAMPTZ  NOT NULL,
    fact          TEXT         NOT NULL,
    decision      TEXT         NOT NULL
);
CREATE INDEX saga_decision_by_deployment ON saga_decision (deployment_id, id);
