package dev.stagecraft.inventory.persistence;

import java.time.Instant;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The answer one saga step got, as published: what a step asked again is answered with. */
@Entity
@Table(name = "step_answer")
public class StepAnswerEntity extends PanacheEntityBase {
    @Id
    public String id;
    @Column(name = "deployment_id")
    public String deploymentId;
    public int step;
    public String type;
    /** The event's payload, JSON text. */
    public String payload;
    @Column(name = "answered_at")
    public Instant answeredAt;

    public static String idOf(String deploymentId, int step) {
        return deploymentId + ":" + step;
    }
}
