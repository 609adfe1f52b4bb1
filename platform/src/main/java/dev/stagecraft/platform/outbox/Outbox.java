package dev.stagecraft.platform.outbox;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.stagecraft.platform.messaging.CloudEventHeaders;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Records an event for publication. Must be called inside the transaction that makes the state
 * change the event announces: the relay publishes it only once that transaction has committed.
 */
@ApplicationScoped
public class Outbox {
    /**
     * The CloudEvents attributes the relay will send a row with ({@code ce_id}, {@code ce_source}, {@code ce_time}),
     * for a payload that must repeat them, such as a CDEvent's context.
     */
    public record Stamp(String eventId, String source, Instant at) {
    }

    private final ObjectMapper mapper;
    private final String source;

    public Outbox(ObjectMapper mapper, @ConfigProperty(name = "quarkus.application.name") String applicationName) {
        this.mapper = mapper;
        this.source = CloudEventHeaders.source(applicationName);
    }

    public Uni<Void> add(String topic, String key, String type, Object payload) {
        return add(topic, key, type, stamp -> payload);
    }

    /** As {@link #add(String, String, String, Object)}, the payload made from the row's own stamp. */
    public Uni<Void> add(String topic, String key, String type, Function<Stamp, Object> payload) {
        return row(topic, key, type, payload).persist().replaceWithVoid();
    }

    /**
     * The row {@link #add} would write, not written: for a writer that inserts its outbox rows in the same statement
     * as its own change ({@link OutboxRows}), one round trip to the database instead of one per row.
     */
    public OutboxEvent row(String topic, String key, String type, Object payload) {
        return row(topic, key, type, stamp -> payload);
    }

    private OutboxEvent row(String topic, String key, String type, Function<Stamp, Object> payload) {
        OutboxEvent event = new OutboxEvent();
        event.eventId = UUID.randomUUID().toString();
        event.topic = topic;
        event.eventKey = key;
        event.type = type;
        // as the database keeps it (microseconds), so that a payload's copy of it equals the ce_time sent
        event.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        event.payload = toJson(payload.apply(new Stamp(event.eventId, source, event.createdAt)));
        return event;
    }

    private String toJson(Object payload) {
        try {
            return mapper.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise " + payload.getClass().getSimpleName(), e);
        }
    }
}
