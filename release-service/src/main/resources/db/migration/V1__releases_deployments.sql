CREATE TABLE environment (
    name              VARCHAR(63) PRIMARY KEY,
    position          INTEGER     NOT NULL,
    requires_success_in VARCHAR(63),
    config            TEXT        NOT NULL DEFAULT '{}',
    updated_at        TIMESTAMPTZ NOT NULL,
    version           BIGINT      NOT NULL DEFAULT 0
);

-- The three stages every installation starts with; PUT /api/v1/environments/{name} changes them.
INSERT INTO environment (name, position, requires_success_in, updated_at) VALUES
    ('development', 10, NULL, now()),
    ('staging', 20, NULL, now()),
    ('production', 30, 'staging', now());

CREATE TABLE release (
    id              VARCHAR(36)  PRIMARY KEY,
    service         VARCHAR(63)  NOT NULL,
    version         VARCHAR(100) NOT NULL,
    artifact_uri    TEXT         NOT NULL,
    artifact_sha256 CHAR(64)     NOT NULL,
    config          TEXT         NOT NULL DEFAULT '{}',
    created_at      TIMESTAMPTZ  NOT NULL,
    CONSTRAINT release_is_immutable UNIQUE (service, version)
);

CREATE TABLE deployment (
    id           VARCHAR(36)  PRIMARY KEY,
    service      VARCHAR(63)  NOT NULL,
    version      VARCHAR(100) NOT NULL,
    environment  VARCHAR(63)  NOT NULL REFERENCES environment (name),
    strategy     TEXT         NOT NULL,
    status       VARCHAR(32)  NOT NULL,
    active       BOOLEAN      NOT NULL,
    gates        TEXT         NOT NULL DEFAULT '[]',
    reasons      TEXT         NOT NULL DEFAULT '[]',
    requested_by VARCHAR(100) NOT NULL,
    created_at   TIMESTAMPTZ  NOT NULL,
    updated_at   TIMESTAMPTZ  NOT NULL,
    finished_at  TIMESTAMPTZ,
    row_version  BIGINT       NOT NULL DEFAULT 0
);

-- At most one running deployment per service and environment, even under concurrent requests.
CREATE UNIQUE INDEX one_active_deployment ON deployment (service, environment) WHERE active;
CREATE INDEX deployment_by_service ON deployment (service, environment, created_at DESC);

CREATE TABLE timeline_entry (
    id            BIGSERIAL    PRIMARY KEY,
    deployment_id VARCHAR(36)  NOT NULL REFERENCES deployment (id),
    at            TIMESTAMPTZ  NOT NULL,
    status        VARCHAR(32)  NOT NULL,
    event_type    VARCHAR(200) NOT NULL,
    message       TEXT         NOT NULL
);
CREATE INDEX timeline_by_deployment ON timeline_entry (deployment_id, id);
