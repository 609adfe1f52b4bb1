package dev.stagecraft.release.webhook;

import dev.stagecraft.platform.messaging.EventHandlers;
import dev.stagecraft.platform.messaging.IdempotentConsumer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Reads the lifecycle topic a second time, in its own consumer group and with its own inbox name, so
 * that webhook fan-out and the deployment view neither wait for nor fail each other.
 */
@ApplicationScoped
public class WebhookEventsConsumer {
    static final String CONSUMER = "release-service-webhooks";

    private final IdempotentConsumer consumer;
    private final EventHandlers handlers = new EventHandlers();

    public WebhookEventsConsumer(IdempotentConsumer consumer, WebhookFanOut fanOut) {
        this.consumer = consumer;
        for (String type : WebhookEvents.types()) {
            handlers.on(type, fanOut::schedule);
        }
    }

    @Incoming("webhook-events")
    public Uni<Void> onEvent(ConsumerRecord<String, String> record) {
        return consumer.consume(CONSUMER, record, handlers);
    }
}
