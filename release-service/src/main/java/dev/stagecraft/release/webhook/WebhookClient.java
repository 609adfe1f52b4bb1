package dev.stagecraft.release.webhook;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeoutException;

import dev.stagecraft.release.secrets.StoredSecrets;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * POSTs one signed attempt. Never fails: refusals, timeouts and non-2xx answers all come back as an
 * {@link AttemptResult}, which the dispatcher turns into a retry or a give-up. Redirects are not followed
 * (a 3xx is a failed attempt), so a receiver cannot bounce signed requests to another address.
 */
@ApplicationScoped
public class WebhookClient {
    private static final String USER_AGENT = "Stagecraft-Webhooks/1.0";

    private final HttpClient http;
    private final Duration timeout;
    private final StoredSecrets secrets;

    public WebhookClient(WebhookConfig config, StoredSecrets secrets) {
        this.secrets = secrets;
        this.timeout = config.timeout();
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1) // no h2c upgrade dance with plain-http receivers
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public Uni<AttemptResult> post(WebhookDelivery delivery, WebhookSubscription subscription) {
        long timestamp = Instant.now().getEpochSecond();
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(subscription.url))
                    .timeout(timeout)
                    .header("Content-Type", "application/json")
                    .header("User-Agent", USER_AGENT)
                    .header(WebhookHeaders.DELIVERY, delivery.id)
                    .header(WebhookHeaders.EVENT, delivery.eventType)
                    .header(WebhookHeaders.TIMESTAMP, Long.toString(timestamp))
                    .header(WebhookHeaders.SIGNATURE, WebhookSignature.sign(secrets.openWebhookSecret(subscription.id, subscription.secret), timestamp,
                            delivery.payload))
                    .POST(HttpRequest.BodyPublishers.ofString(delivery.payload, StandardCharsets.UTF_8))
                    .build();
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().item(AttemptResult.noAnswer("cannot build the request: " + e.getMessage(), 0));
        }
        long start = System.nanoTime();
        return Uni.createFrom().completionStage(() -> http.sendAsync(request, HttpResponse.BodyHandlers.discarding()))
                // The client's own timeout covers the wait for the status line only; this one also bounds a
                // receiver that trickles its body, so one slow receiver cannot hold the pass (and its row locks).
                .ifNoItem().after(timeout.plusMillis(500))
                .failWith(() -> new TimeoutException("no complete answer within " + timeout.toMillis() + " ms"))
                .map(response -> AttemptResult.answered(response.statusCode(), millisSince(start)))
                .onFailure().recoverWithItem(failure -> AttemptResult.noAnswer(describe(failure), millisSince(start)));
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** The exception's class and message: they name the address and the cause, never the secret. */
    private static String describe(Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }
}
