-- Feature flags (README "Feature flags"): the current definition of each flag of a service in an environment,
-- with an optimistic version, and every change ever made to one, append-only (a trigger refuses the rest).
CREATE TABLE flag (
    service     VARCHAR(200) NOT NULL,
    environment VARCHAR(200) NOT NULL,
    flag_key    VARCHAR(128) NOT NULL,
    definition  TEXT         NOT NULL,
    version     BIGINT       NOT NULL,
    updated_at  TIMESTAMPTZ  NOT NULL,
    updated_by  VARCHAR(200) NOT NULL,
    PRIMARY KEY (service, environment, flag_key)
);

CREATE TABLE flag_history (
    id          BIGSERIAL    PRIMARY KEY,
    service     VARCHAR(200) NOT NULL,
    environment VARCHAR(200) NOT NULL,
    flag_key    VARCHAR(128) NOT NULL,
    version     BIGINT       NOT NULL,
    action      VARCHAR(20)  NOT NULL,
    before      TEXT,
    after       TEXT,
    at          TIMESTAMPTZ  NOT NULL,
    actor       VARCHAR(200) NOT NULL
);
CREATE INDEX flag_history_flag ON flag_history (service, environment, flag_key, id);

CREATE FUNCTION flag_history_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'flag_history is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER flag_history_append_only BEFORE UPDATE OR DELETE ON flag_history
    FOR EACH ROW EXECUTE FUNCTION flag_history_append_only();
CREATE TRIGGER flag_history_no_truncate BEFORE TRUNCATE ON flag_history
    FOR EACH STATEMENT EXECUTE FUNCTION flag_history_append_only();
