-- One metric analysis per AnalysisRequest event, stored in the same transaction as the event's inbox row:
-- a run still RUNNING after a crash is restarted (a new window from then), and it is answered by exactly
-- one verdict (status and version guard the move to DONE).
CREATE TABLE analysis_run (
    id            VARCHAR(36)  PRIMARY KEY,
    deployment_id VARCHAR(200) NOT NULL,
    step          INT          NOT NULL,
    request       TEXT         NOT NULL,
    status        VARCHAR(16)  NOT NULL CHECK (status IN ('RUNNING', 'DONE')),
    created_at    TIMESTAMPTZ  NOT NULL,
    started_at    TIMESTAMPTZ  NOT NULL,
    starts        INT          NOT NULL,
    finished_at   TIMESTAMPTZ,
    verdict_id    VARCHAR(36)  REFERENCES verdict (id),
    version       BIGINT       NOT NULL
);
CREATE INDEX analysis_run_running ON analysis_run (status) WHERE status = 'RUNNING';
CREATE INDEX analysis_run_by_deployment ON analysis_run (deployment_id, step);

-- A metric analysis' checks, next to the probe measurements (JSON text, read and written whole).
ALTER TABLE verdict ADD COLUMN analysis TEXT NOT NULL DEFAULT '[]';
