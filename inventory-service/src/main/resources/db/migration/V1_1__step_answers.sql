-- The answer given to each saga step, so that a step asked again (rollout-service re-asks after a missed deadline)
-- is answered again with the same outcome instead of being carried out twice.
CREATE TABLE step_answer (
    id            VARCHAR(250) PRIMARY KEY,
    deployment_id VARCHAR(200) NOT NULL,
    step          INT          NOT NULL,
    type          VARCHAR(200) NOT NULL,
    payload       TEXT         NOT NULL,
    answered_at   TIMESTAMPTZ  NOT NULL
);
