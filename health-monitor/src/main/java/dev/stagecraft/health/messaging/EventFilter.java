package dev.stagecraft.health.messaging;

import java.util.Optional;
import java.util.Set;

import dev.stagecraft.platform.messaging.CloudEventReader;
import dev.stagecraft.platform.messaging.CloudEventHeaders;
import dev.stagecraft.platform.messaging.InboundEvent;
import dev.stagecraft.platform.messaging.PoisonRecordException;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Picks out the records a consumer acts on before its inbox transaction. Other services' types are skipped by
 * their {@code ce_type} header, unread (a step's answer for 10,000 instances is megabytes of JSON); a record of a
 * wanted type, or of none, that is no readable CloudEvent is poison, for the caller to dead-letter.
 */
final class EventFilter {
    /**
     * The record as a CloudEvent, if it is one of {@code types}; throws {@link PoisonRecordException} (logged by the
     * reader, as {@code consumer}'s) for the caller to fail the record with.
     */
    static Optional<InboundEvent> ofTypes(String consumer, CloudEventReader reader,
            ConsumerRecord<String, String> record, Set<String> types) {
        String type = CloudEventHeaders.value(record, CloudEventHeaders.TYPE);
        if (type != null && !types.contains(type)) {
            return Optional.empty();
        }
        InboundEvent event = reader.read(consumer, record);
        return types.contains(event.type()) ? Optional.of(event) : Optional.empty();
    }

    private EventFilter() {
    }
}
