package dev.stagecraft.release.messaging;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.contracts.FleetChanged;
import dev.stagecraft.platform.messaging.EventHandlers;
import dev.stagecraft.platform.messaging.IdempotentConsumer;
import dev.stagecraft.platform.messaging.InboundEvent;
import dev.stagecraft.platform.messaging.PoisonRecordException;
import dev.stagecraft.release.domain.FleetViews;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Keeps {@link FleetViews} current from inventory-service's {@code fleet.changed} events. The topic also
 * carries every answer to the saga's steps, which are rollout-service's business and skipped here. Its own
 * consumer group and inbox name, so that it neither waits for nor is skipped by the lifecycle consumer.
 */
@ApplicationScoped
public class FleetEventsConsumer {
    static final String CONSUMER = "release-service-fleets";
    private static final List<String> REQUIRED = List.of("service", "environment", "replicas", "instances", "at");

    private final IdempotentConsumer consumer;
    private final EventHandlers handlers = new EventHandlers();

    public FleetEventsConsumer(IdempotentConsumer consumer, FleetViews fleets) {
        this.consumer = consumer;
        handlers.on(EventTypes.FLEET_CHANGED, event -> fleets.apply(fleetOf(event)));
    }

    @Incoming("fleet-events")
    public Uni<Void> onEvent(ConsumerRecord<String, String> record) {
        return consumer.consume(CONSUMER, record, handlers);
    }

    /**
     * A missing count would read as 0, and a fleet wrongly seen as empty refuses deployments: an incomplete
     * event is a poison record, not a fleet of size 0.
     */
    private static FleetChanged fleetOf(InboundEvent event) {
        JsonNode data = event.data();
        List<String> missing = REQUIRED.stream().filter(f -> !data.hasNonNull(f)).toList();
        if (!missing.isEmpty()) {
            throw new PoisonRecordException(event.type() + " " + event.id() + " lacks " + missing);
        }
        FleetChanged fleet = event.as(FleetChanged.class);
        if (fleet.replicas() < 0 || fleet.instances() < 0) {
            throw new PoisonRecordException(event.type() + " " + event.id() + " has a negative count: " + fleet);
        }
        return fleet;
    }
}
