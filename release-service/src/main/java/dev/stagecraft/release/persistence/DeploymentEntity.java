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
    /** True until the deployment ends; a partial unique index allows one active deployment per service and environment. */
    public boolean active;
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
    @Version
    @Column(name = "row_version")
    public long rowVersion;
}
