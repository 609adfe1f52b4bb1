package dev.stagecraft.release.webhook;

import java.time.Duration;

/** Exponential back-off with a cap and an attempt budget: 1 s, 2 s, 4 s, ... at most 5 min, 8 attempts by default. */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("stagecraft.webhooks.max-attempts must be at least 1, was "
                    + maxAttempts);
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("stagecraft.webhooks back-off must satisfy 0 <= initial <= max");
        }
    }

    public static RetryPolicy of(WebhookConfig config) {
        return new RetryPolicy(config.maxAttempts(), config.initialBackoff(), config.maxBackoff());
    }

    /** True once {@code attempts} failed attempts have used up the budget. */
    public boolean exhausted(int attempts) {
        return attempts >= maxAttempts;
    }

    /** The wait after the {@code attempts}-th failed attempt (1-based): initial × 2^(attempts-1), capped. */
    public Duration backoffAfter(int attempts) {
        int doublings = Math.max(0, attempts - 1);
        // Past 62 doublings the long overflows; the cap has long been reached anyway.
        if (doublings >= 62 || initialBackoff.toMillis() > (maxBackoff.toMillis() >> doublings)) {
            return maxBackoff;
        }
        return Duration.ofMillis(initialBackoff.toMillis() << doublings);
    }
}
