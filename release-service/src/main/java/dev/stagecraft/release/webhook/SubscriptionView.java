package dev.stagecraft.release.webhook;

import java.time.Instant;
import java.util.List;

/** A subscription as the API shows it: the secret is set, and that is all an answer says about it. */
public record SubscriptionView(String id, String url, List<String> events, String secret, Instant createdAt) {
    static final String MASKED = "***";

    static SubscriptionView of(WebhookSubscription s) {
        return new SubscriptionView(s.id, s.url, s.eventNames(), MASKED, s.createdAt);
    }
}
