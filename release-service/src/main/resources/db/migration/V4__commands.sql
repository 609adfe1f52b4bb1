-- Commands from CI over Kafka (stagecraft.commands, package dev.stagecraft.release.commands): the outcome of
-- every authenticated command under its idempotency key (ce_idempotencykey, else ce_id). A command whose key
-- is here is not applied again; this outcome is published again instead. The row commits in the transaction
-- of the command's change (or, for a refused command, of its rejection).
CREATE TABLE command_outcome (
    idempotency_key VARCHAR(200) PRIMARY KEY,
    command_id      VARCHAR(200) NOT NULL,
    type            VARCHAR(200) NOT NULL,
    actor           TEXT         NOT NULL,
    outcome         TEXT         NOT NULL, -- the CommandOutcome as published, JSON
    created_at      TIMESTAMPTZ  NOT NULL
);
