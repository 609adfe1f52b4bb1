package dev.stagecraft.rollout.persistence;

import java.time.Instant;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The decision log: each fact the saga took in and what it decided. */
@Entity
@Table(name = "saga_decision")
public class SagaDecision extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "deployment_id")
    public String deploymentId;
    public Instant at;
    public String fact;
    public String decision;
}
