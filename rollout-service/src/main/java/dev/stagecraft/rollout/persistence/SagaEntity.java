package dev.stagecraft.rollout.persistence;

import java.time.Instant;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/** One saga per deployment; its state is the strategy's JSON, the columns are what the reconciler and views query. */
@Entity
@Table(name = "saga")
public class SagaEntity extends PanacheEntityBase {
    @Id
    @Column(name = "deployment_id")
    public String deploymentId;
    public String strategy;
    public String status;
    public String phase;
    public String state;
    public Instant deadline;
    @Column(name = "phase_started_at")
    public Instant phaseStartedAt;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;
    @Version
    @Column(name = "row_version")
    public long rowVersion;
}
