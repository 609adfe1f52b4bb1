-- Governance (issue 4): approvals, deploy windows and freezes, secrets, concurrency modes, declared
-- database migrations, and the append-only audit log.

ALTER TABLE environment
    ADD COLUMN requires_approval      BOOLEAN     NOT NULL DEFAULT false,
    ADD COLUMN windows                TEXT        NOT NULL DEFAULT '[]',
    ADD COLUMN freezes                TEXT        NOT NULL DEFAULT '[]',
    -- Plain text like config, never shown by the API (see release-service/README.md, "Secrets").
    ADD COLUMN secrets                TEXT        NOT NULL DEFAULT '{}',
    ADD COLUMN concurrency            VARCHAR(16) NOT NULL DEFAULT 'reject',
    ADD COLUMN concurrency_by_service TEXT        NOT NULL DEFAULT '{}';

ALTER TABLE release
    ADD COLUMN migrations TEXT NOT NULL DEFAULT '[]';

-- "active" now means: holds the one slot of its service in its environment (from the request, or from
-- leaving the queue, until it ends). A queued or superseding deployment waits with active = false and
-- waiting_for = the deployment holding the slot; one_active_deployment keeps guarding the slot.
ALTER TABLE deployment
    ADD COLUMN waiting_for     VARCHAR(36),
    ADD COLUMN waiting_mode    VARCHAR(16),
    ADD COLUMN override_reason TEXT;
CREATE INDEX deployment_waiting ON deployment (service, environment, created_at) WHERE waiting_for IS NOT NULL;

CREATE TABLE approval (
    id            BIGSERIAL    PRIMARY KEY,
    deployment_id VARCHAR(36)  NOT NULL REFERENCES deployment (id),
    decision      VARCHAR(16)  NOT NULL CHECK (decision IN ('APPROVED', 'REJECTED')),
    actor         VARCHAR(200) NOT NULL,
    at            TIMESTAMPTZ  NOT NULL,
    comment       TEXT
);
CREATE INDEX approval_by_deployment ON approval (deployment_id, id);

CREATE TABLE audit_entry (
    id              BIGSERIAL    PRIMARY KEY,
    at              TIMESTAMPTZ  NOT NULL,
    actor           VARCHAR(200) NOT NULL,
    action          VARCHAR(100) NOT NULL,
    subject_type    VARCHAR(50)  NOT NULL,
    subject_id      VARCHAR(300) NOT NULL,
    details         TEXT         NOT NULL DEFAULT '{}',
    override_reason TEXT
);
CREATE INDEX audit_by_subject ON audit_entry (subject_id, id DESC);
CREATE INDEX audit_by_actor ON audit_entry (actor, id DESC);

-- Append-only in the database too, not only in the API: whatever connects, rows cannot be changed
-- or removed (a superuser can still drop the trigger, which is itself a visible schema change).
CREATE FUNCTION audit_entry_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_entry is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_entry_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_entry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_refuse_change();
CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry
    FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_refuse_change();
