package dev.stagecraft.release.webhook;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.stagecraft.platform.net.OutboundHttp;
import dev.stagecraft.platform.net.OutboundLimits;
import dev.stagecraft.platform.net.OutboundResponse;
import dev.stagecraft.release.secrets.StoredSecrets;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * POSTs one signed attempt. Never fails: refusals, timeouts and non-2xx answers all come back as an
 * {@link AttemptResult}, which the dispatcher turns into a retry or a give-up. Sent with the platform's
 * {@link OutboundHttp}: the receiver's address is checked at every attempt ({@link WebhookDestinations}) and the
 * connection goes to the address checked, so a name that turned internal since it was subscribed is refused.
 * Redirects are not followed (a 3xx is a failed attempt), so a receiver cannot bounce signed requests to
 * another address. The timeout bounds the whole attempt, connection included, so one slow receiver cannot hold
 * the pass (and its row locks).
 */
@ApplicationScoped
public class WebhookClient {
    private static final String USER_AGENT = "Stagecraft-Webhooks/1.0";
    /** The answer's body is never read (only its status counts), so no size of it is ever accepted. */
    private static final long IGNORED_BODY = 0;

    private final OutboundHttp http;
    private final WebhookDestinations destinations;
    private final OutboundLimits limits;
    private final StoredSecrets secrets;

    public WebhookClient(WebhookConfig config, OutboundHttp http, WebhookDestinations destinations,
            StoredSecrets secrets) {
        Duration timeout = config.timeout();
        this.http = http;
        this.destinations = destinations;
        this.secrets = secrets;
        this.limits = new OutboundLimits(timeout, timeout, timeout, IGNORED_BODY);
    }

    public Uni<AttemptResult> post(WebhookDelivery delivery, WebhookSubscription subscription) {
        long timestamp = Instant.now().getEpochSecond();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("User-Agent", USER_AGENT);
        headers.put(WebhookHeaders.DELIVERY, delivery.id);
        headers.put(WebhookHeaders.EVENT, delivery.eventType);
        headers.put(WebhookHeaders.TIMESTAMP, Long.toString(timestamp));
        headers.put(WebhookHeaders.SIGNATURE, WebhookSignature.sign(
                secrets.openWebhookSecret(subscription.id, subscription.secret), timestamp, delivery.payload));
        byte[] body = delivery.payload.getBytes(StandardCharsets.UTF_8);
        return Uni.createFrom().item(() -> send(subscription.url, headers, body))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private AttemptResult send(String url, Map<String, String> headers, byte[] body) {
        long start = System.nanoTime();
        try (OutboundResponse response = http.send("POST", URI.create(url), headers, body, limits,
                destinations.destinations())) {
            return AttemptResult.answered(response.status(), millisSince(start));
        } catch (IOException | RuntimeException e) {
            return AttemptResult.noAnswer(describe(e), millisSince(start));
        }
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** The exception's class and message: they name the address and the cause, never the secret. */
    private static String describe(Exception failure) {
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }
}
