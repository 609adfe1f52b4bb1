CREATE TABLE fleet (
    service     VARCHAR(63) NOT NULL,
    environment VARCHAR(63) NOT NULL,
    replicas    INTEGER     NOT NULL CHECK (replicas >= 0),
    updated_at  TIMESTAMPTZ NOT NULL,
    row_version BIGINT      NOT NULL DEFAULT 0,
    PRIMARY KEY (service, environment)
);

CREATE TABLE instance (
    id            VARCHAR(40)  PRIMARY KEY,
    service       VARCHAR(63)  NOT NULL,
    environment   VARCHAR(63)  NOT NULL,
    version       VARCHAR(100) NOT NULL,
    release_spec  TEXT         NOT NULL,
    address       VARCHAR(100),
    pid           BIGINT,
    state         VARCHAR(32)  NOT NULL,
    pool          VARCHAR(32)  NOT NULL,
    weight        INTEGER      NOT NULL,
    last_error    TEXT,
    updated_at    TIMESTAMPTZ  NOT NULL,
    row_version   BIGINT       NOT NULL DEFAULT 0
);
CREATE INDEX instance_by_fleet ON instance (service, environment);
