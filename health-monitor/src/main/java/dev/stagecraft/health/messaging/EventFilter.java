package dev.stagecraft.health.messaging;

import java.util.Optional;
import java.util.Set;

import dev.stagecraft.platform.messaging.CloudEventReader;
import dev.stagecraft.platform.messaging.EventHandlers;
import dev.stagecraft.platform.messaging.InboundEvent;
import dev.stagecraft.platform.messaging.PoisonRecordException;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Picks out the records a consumer acts on before its inbox transaction. Everything else, poison
 * included, goes through the inbox with {@link #NOTHING_TO_APPLY}: poison is dead-lettered there and
 * other services' types are skipped.
 */
final class EventFilter {
    static final EventHandlers NOTHING_TO_APPLY = new EventHandlers();

    /** The record as a CloudEvent, if it is one of {@code types}. */
    static Optional<InboundEvent> ofTypes(CloudEventReader reader, ConsumerRecord<String, String> record,
            Set<String> types) {
        try {
            InboundEvent event = reader.read(record);
            return types.contains(event.type()) ? Optional.of(event) : Optional.empty();
        } catch (PoisonRecordException e) {
            return Optional.empty();
        }
    }

    private EventFilter() {
    }
}
