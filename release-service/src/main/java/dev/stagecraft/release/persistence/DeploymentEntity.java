package dev.stagecraft.release.persistence;

import java.time.Instant;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import dev.stagecraft.release.domain.DeploymentStatus;

@Entity
@Table(name = "deployment")
public class DeploymentEntity extends PanacheEntityBase {
    @Id
    public String id;
    public String service;
    public String version;
    public String environment;
    /** The strategy as the user gave it, JSON. */
    public String strategy;
    @Enumerated(EnumType.STRING)
    public DeploymentStatus status;
    /**
     * Holds the one slot of its service in its environment: from the request (or from leaving the
     * queue) until it ends. A partial unique index allows one such deployment per service and environment.
     */
    public boolean active;
    /** While queued or waiting to supersede: the deployment holding the slot. Null otherwise. */
    @Column(name = "waiting_for")
    public String waitingFor;
    /** {@code queue} or {@code supersede} while {@link #waitingFor} is set. */
    @Column(name = "waiting_mode")
    public String waitingMode;
    /** An admin's break-glass reason when the deploy window was overridden. */
    @Column(name = "override_reason")
    public String overrideReason;
    /** The deployment's own smoke checks, JSON list of {@code SmokeCheck}s (the release's run too); null for none. */
    @Column(name = "smoke_checks")
    public String smokeChecks;
    /** The gates evaluated when the deployment was requested, JSON. */
    public String gates;
    /** Why the deployment ended the way it did, JSON list of strings. */
    public String reasons;
    @Column(name = "requested_by")
    public String requestedBy;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;
    @Column(name = "finished_at")
    public Instant finishedAt;
    /** While BAKING: when the bake ends and the deployment becomes SUCCEEDED (dev.stagecraft.release.bake). */
    @Column(name = "bake_until")
    public Instant bakeUntil;
    /** For a rollback an alert started during a bake: the deployment it rolls back. Such a rollback never bakes. */
    @Column(name = "rollback_of")
    public String rollbackOf;
    @Version
    @Column(name = "row_version")
    public long rowVersion;
}
