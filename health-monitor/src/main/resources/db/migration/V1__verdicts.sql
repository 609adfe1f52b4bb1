-- One verdict per verified rollout step (a step judged again, e.g. during a rollback, gets a new row).
CREATE TABLE verdict (
    id            VARCHAR(36)  PRIMARY KEY,
    deployment_id VARCHAR(200) NOT NULL,
    step          INT          NOT NULL,
    result        VARCHAR(16)  NOT NULL CHECK (result IN ('PASS', 'FAIL', 'INCONCLUSIVE')),
    reason        TEXT         NOT NULL,
    measurements  TEXT         NOT NULL,
    created_at    TIMESTAMPTZ  NOT NULL
);
CREATE INDEX verdict_by_deployment ON verdict (deployment_id, created_at);
