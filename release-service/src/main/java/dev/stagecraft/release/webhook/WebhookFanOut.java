package dev.stagecraft.release.webhook;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.stagecraft.platform.messaging.InboundEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Turns one lifecycle event into one PENDING delivery per subscription that wants it. Runs inside the
 * consumer's inbox transaction and never sends anything itself (transactional outbox): the deliveries
 * exist exactly when the event counts as consumed, and the dispatcher sends them after the commit.
 */
@ApplicationScoped
public class WebhookFanOut {
    private static final Logger LOG = Logger.getLogger(WebhookFanOut.class);

    private final WebhookPayloads payloads;

    public WebhookFanOut(WebhookPayloads payloads) {
        this.payloads = payloads;
    }

    public Uni<Void> schedule(InboundEvent event) {
        String name = WebhookEvents.shortName(event.type());
        return WebhookSubscription.<WebhookSubscription>listAll().chain(subscriptions -> {
            List<WebhookSubscription> wanting = subscriptions.stream().filter(s -> s.wants(name)).toList();
            if (wanting.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            String body = payloads.bodyOf(event); // once: every subscriber gets the same bytes
            Instant now = Instant.now();
            List<WebhookDelivery> deliveries = wanting.stream().map(s -> pending(s, name, event.id(), body, now))
                    .toList();
            LOG.debugf("event %s %s: %d webhook deliveries", name, event.id(), deliveries.size());
            return WebhookDelivery.persist(deliveries);
        });
    }

    private static WebhookDelivery pending(WebhookSubscription subscription, String name, String eventId, String body,
            Instant now) {
        WebhookDelivery d = new WebhookDelivery();
        d.id = UUID.randomUUID().toString();
        d.subscriptionId = subscription.id;
        d.eventType = name;
        d.eventId = eventId;
        d.payload = body;
        d.status = DeliveryStatus.PENDING;
        d.attempts = 0;
        d.nextAttemptAt = now;
        d.createdAt = now;
        return d;
    }
}
