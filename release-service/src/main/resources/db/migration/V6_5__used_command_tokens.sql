-- Command tokens already used (README "CI over Kafka", docs/security.md): a command token's jti acts once.
-- Kept until the token has expired (plus the verifier's clock skew), so a restart does not forget them; expired
-- rows are deleted as new tokens are claimed.
CREATE TABLE used_command_token (
    jti        VARCHAR(200) PRIMARY KEY,
    expires_at TIMESTAMPTZ  NOT NULL,
    used_at    TIMESTAMPTZ  NOT NULL
);
CREATE INDEX used_command_token_expiry ON used_command_token (expires_at);
