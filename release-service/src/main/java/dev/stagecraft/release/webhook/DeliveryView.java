package dev.stagecraft.release.webhook;

import java.time.Instant;
import java.util.List;

/** A delivery and every attempt at it. {@code nextAttemptAt} is null once it is DELIVERED or FAILED. */
public record DeliveryView(String id, String event, String eventId, String status, int attempts,
        Instant nextAttemptAt, Integer lastStatusCode, String lastError, Instant createdAt, Instant deliveredAt,
        Instant failedAt, List<Attempt> history) {

    public record Attempt(int attempt, Instant at, Integer statusCode, String error, long durationMillis) {
    }

    static DeliveryView of(WebhookDelivery d, List<WebhookAttempt> attempts) {
        return new DeliveryView(d.id, d.eventType, d.eventId, d.status.name(), d.attempts, d.nextAttemptAt,
                d.lastStatusCode, d.lastError, d.createdAt, d.deliveredAt, d.failedAt,
                attempts.stream().map(a -> new Attempt(a.attempt, a.at, a.statusCode, a.error, a.durationMillis))
                        .toList());
    }
}
