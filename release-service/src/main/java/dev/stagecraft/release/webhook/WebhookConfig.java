package dev.stagecraft.release.webhook;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code stagecraft.webhooks.*}: how often the sender looks for due deliveries and how it retries them. */
@ConfigMapping(prefix = "stagecraft.webhooks")
public interface WebhookConfig {
    /** Period of the sender's pass; it also bounds how late the first attempt and each retry can be. */
    @WithDefault("200ms")
    Duration interval();

    /** Deliveries sent (concurrently) in one pass. */
    @WithDefault("50")
    int batchSize();

    /** How long a receiver has to answer one attempt, connection included. */
    @WithDefault("5s")
    Duration timeout();

    /** Attempts in all, the first one included; after the last failure the delivery is FAILED. */
    @WithDefault("8")
    int maxAttempts();

    /** Wait after the first failed attempt; it doubles after each further failure. */
    @WithDefault("1s")
    Duration initialBackoff();

    /** The longest wait between two attempts. */
    @WithDefault("5m")
    Duration maxBackoff();

    /**
     * Hosts (names or addresses, as written in subscription URLs) that may be loopback, private or link-local
     * destinations; every other host must resolve to public addresses only. None by default.
     */
    Optional<List<String>> allowedHosts();
}
