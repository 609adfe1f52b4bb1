package dev.stagecraft.release.webhook;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.stagecraft.platform.messaging.InboundEvent;
import dev.stagecraft.release.persistence.EnvironmentEntity;
import dev.stagecraft.release.secrets.StoredSecrets;
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
    private final StoredSecrets secrets;

    public WebhookFanOut(WebhookPayloads payloads, StoredSecrets secrets) {
        this.payloads = payloads;
        this.secrets = secrets;
    }

    public Uni<Void> schedule(InboundEvent event) {
        String name = WebhookEvents.shortName(event.type());
        return WebhookSubscription.<WebhookSubscription>listAll().chain(subscriptions -> {
            List<WebhookSubscription> wanting = subscriptions.stream().filter(s -> s.wants(name)).toList();
            if (wanting.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            // The saga's words may quote an instance's environment: scrubbed as in the timeline before they leave.
            return EnvironmentEntity.<EnvironmentEntity>findById(payloads.environmentOf(event)).chain(env -> {
                String body = payloads.bodyOf(event, secrets.plain(env).values()); // once: every subscriber, same bytes
                Instant now = Instant.now();
                List<WebhookDelivery> deliveries = wanting.stream().map(s -> pending(s, name, event.id(), body, now))
                        .toList();
                LOG.debugf("event %s %s: %d webhook deliveries", name, event.id(), deliveries.size());
                return WebhookDelivery.persist(deliveries);
            });
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
