package dev.stagecraft.platform.messaging;

import java.time.Instant;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The inbox: one row per (consumer, event id) that has been applied. */
@Entity
@Table(name = "processed_event")
public class ProcessedEvent extends PanacheEntityBase {
    @Id
    public String id;
    public String consumer;
    @Column(name = "event_id")
    public String eventId;
    @Column(name = "event_type")
    public String eventType;
    @Column(name = "processed_at")
    public Instant processedAt;

    private static final String CLAIM = "INSERT INTO processed_event (id, consumer, event_id, event_type, processed_at)"
            + " VALUES (:id, :consumer, :eventId, :eventType, :at) ON CONFLICT (id) DO NOTHING";

    static String idOf(String consumer, String eventId) {
        return consumer + ":" + eventId;
    }

    /**
     * Writes the event's inbox row in the caller's transaction, in one statement: true if it was not there, false if
     * it had been applied already. A concurrent delivery of the same event waits here until the first commits (or
     * rolls back), then finds it applied (or claims it): one round trip, where a look-up and then an insert at the
     * flush took two and failed the second delivery on the primary key.
     */
    static Uni<Boolean> claim(String consumer, String eventId, String eventType) {
        return Panache.getSession().chain(session -> session.createNativeQuery(CLAIM)
                .setParameter("id", idOf(consumer, eventId))
                .setParameter("consumer", consumer)
                .setParameter("eventId", eventId)
                .setParameter("eventType", eventType)
                .setParameter("at", Instant.now())
                .executeUpdate())
                .map(inserted -> inserted == 1);
    }
}
