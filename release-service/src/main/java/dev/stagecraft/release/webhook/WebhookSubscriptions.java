package dev.stagecraft.release.webhook;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import dev.stagecraft.platform.api.ApiProblem;
import dev.stagecraft.platform.api.Problem;
import dev.stagecraft.platform.persistence.JsonText;
import dev.stagecraft.release.secrets.StoredSecrets;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;

/** Subscriptions and what became of their deliveries. */
@ApplicationScoped
public class WebhookSubscriptions {
    static final int MAX_DELIVERIES_SHOWN = 200;

    private final StoredSecrets secrets;
    private final Vertx vertx;
    private final WebhookDestinations destinations;

    public WebhookSubscriptions(StoredSecrets secrets, Vertx vertx, WebhookDestinations destinations) {
        this.secrets = secrets;
        this.vertx = vertx;
        this.destinations = destinations;
    }

    public Uni<SubscriptionView> create(SubscriptionRequest request) {
        SubscriptionValidation.check(request).throwIfAny("the webhook subscription is not valid");
        // Resolving the host blocks; the answer is checked again at every delivery (DNS may change).
        return vertx.executeBlocking(() -> destinations.refusal(java.net.URI.create(request.url())), false)
                .invoke(refusal -> refusal.ifPresent(reason -> {
                    throw ApiProblem.badRequest("the webhook subscription is not valid",
                            List.of(new Problem.Violation("url", reason)));
                }))
                .chain(() -> insert(request));
    }

    @WithTransaction
    Uni<SubscriptionView> insert(SubscriptionRequest request) {
        WebhookSubscription s = new WebhookSubscription();
        s.id = UUID.randomUUID().toString();
        s.url = request.url();
        s.secret = secrets.sealWebhookSecret(s.id, request.secret()); // sealed at rest, opened to sign
        s.events = JsonText.write(normalised(request.events()));
        s.createdAt = Instant.now();
        return s.persist().map(ignored -> SubscriptionView.of(s));
    }

    @WithSession
    public Uni<List<SubscriptionView>> list() {
        return WebhookSubscription.<WebhookSubscription>list("order by createdAt, id")
                .map(all -> all.stream().map(SubscriptionView::of).toList());
    }

    /** Its pending deliveries go with it (ON DELETE CASCADE): nobody is left to receive them. */
    @WithTransaction
    public Uni<Void> delete(String id) {
        return WebhookSubscription.deleteById(id).invoke(deleted -> {
            if (!deleted) {
                throw notFound(id);
            }
        }).replaceWithVoid();
    }

    /** The newest deliveries first, each with its attempts in order. */
    @WithSession
    public Uni<List<DeliveryView>> deliveries(String subscriptionId) {
        return WebhookSubscription.<WebhookSubscription>findById(subscriptionId).onItem().ifNull()
                .failWith(() -> notFound(subscriptionId))
                .chain(s -> WebhookDelivery.<WebhookDelivery>find("subscriptionId = ?1 order by createdAt desc, id",
                        subscriptionId).page(0, MAX_DELIVERIES_SHOWN).list())
                .chain(deliveries -> {
                    if (deliveries.isEmpty()) {
                        return Uni.createFrom().item(List.<DeliveryView>of());
                    }
                    List<String> ids = deliveries.stream().map(d -> d.id).toList();
                    return WebhookAttempt.<WebhookAttempt>list("deliveryId in ?1 order by attempt", ids)
                            .map(attempts -> {
                                Map<String, List<WebhookAttempt>> byDelivery = attempts.stream()
                                        .collect(Collectors.groupingBy(a -> a.deliveryId));
                                return deliveries.stream().map(d -> DeliveryView.of(d,
                                        byDelivery.getOrDefault(d.id, List.of()))).toList();
                            });
                });
    }

    /** "*" covers every other name; repeats are dropped. */
    static List<String> normalised(List<String> events) {
        return events.contains(WebhookEvents.ALL) ? List.of(WebhookEvents.ALL) : events.stream().distinct().toList();
    }

    private static ApiProblem notFound(String id) {
        return ApiProblem.notFound("webhook subscription " + id + " does not exist");
    }
}
