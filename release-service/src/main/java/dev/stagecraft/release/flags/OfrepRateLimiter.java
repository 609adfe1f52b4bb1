package dev.stagecraft.release.flags;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * A token bucket per OFREP token (by its id): {@code stagecraft.ofrep.rate-per-second} requests a second on
 * average ({@code STAGECRAFT_OFREP_RATE_PER_SECOND}, default 1000), bursts up to one second's worth. A token minted
 * with its own {@code ratePerSecond} gets the lower of the two. Per replica: N replicas allow N times the rate.
 */
@ApplicationScoped
public class OfrepRateLimiter {
    private final int defaultRate;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public OfrepRateLimiter(@ConfigProperty(name = "stagecraft.ofrep.rate-per-second", defaultValue = "1000") int defaultRate) {
        this.defaultRate = defaultRate;
    }

    /** 0 when the request may go ahead, else the whole seconds to wait before the next one would. */
    public long acquire(String tokenId, Integer tokenRate) {
        int rate = tokenRate == null ? defaultRate : Math.min(tokenRate, defaultRate);
        if (buckets.size() > 100_000) {
            buckets.clear(); // a flood of distinct tokens must not grow memory without bound; they start full again
        }
        return buckets.computeIfAbsent(tokenId, id -> new Bucket(rate)).take(System.nanoTime());
    }

    private static final class Bucket {
        private final double rate;
        private double available;
        private long lastNanos;

        Bucket(int rate) {
            this.rate = rate;
            this.available = rate;
            this.lastNanos = System.nanoTime();
        }

        synchronized long take(long now) {
            available = Math.min(rate, available + (now - lastNanos) / 1e9 * rate);
            lastNanos = now;
            if (available >= 1) {
                available -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - available) / rate));
        }
    }
}
