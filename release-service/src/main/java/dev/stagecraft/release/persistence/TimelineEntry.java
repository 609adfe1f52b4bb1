package dev.stagecraft.release.persistence;

import java.time.Instant;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One line of a deployment's timeline; append-only. */
@Entity
@Table(name = "timeline_entry")
public class TimelineEntry extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "deployment_id")
    public String deploymentId;
    public Instant at;
    public String status;
    @Column(name = "event_type")
    public String eventType;
    public String message;

    public static TimelineEntry of(String deploymentId, Instant at, String status, String eventType, String message) {
        TimelineEntry entry = new TimelineEntry();
        entry.deploymentId = deploymentId;
        entry.at = at;
        entry.status = status;
        entry.eventType = eventType;
        entry.message = message;
        return entry;
    }
}
