package dev.stagecraft.release.persistence;

import java.time.Instant;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * The outcome of an authenticated command, under its idempotency key: a command with a key already
 * here is not applied again, and this outcome is published again instead.
 */
@Entity
@Table(name = "command_outcome")
public class CommandOutcomeEntity extends PanacheEntityBase {
    @Id
    @Column(name = "idempotency_key")
    public String idempotencyKey;
    /** The ce_id of the command that was applied (a repeat has its own). */
    @Column(name = "command_id")
    public String commandId;
    public String type;
    /** Whose token the command carried: a key is answered again only for the same user and type. */
    public String actor;
    /** The {@code CommandOutcome} as published, JSON. */
    public String outcome;
    @Column(name = "created_at")
    public Instant createdAt;
}
