package dev.stagecraft.inventory.driver;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * A check's answer per key, reused for {@code ttl} after it was computed. The agent driver checks each release before
 * sending a start (its runtime, its sealed secrets, its artifact fetched and its sha256 computed): a step starting
 * 1,000 instances of one release did that 1,000 times, a third of inventory-service's worker time with a 33 KB
 * artifact, and would hash a real 50 MB jar a thousand times. A check that fails is not remembered, so a refusal is
 * given again and a fixed problem passes at once. Concurrent callers of one key wait for one computation.
 */
final class RecentlyChecked<K, V> {
    /** Beyond this many keys, expired answers are dropped before a new one is kept. */
    static final int PRUNE_ABOVE = 64;

    private record Answer<V>(V value, long at) {
    }

    private final long ttl;
    private final LongSupplier nanoClock;
    private final Map<K, Answer<V>> answers = new ConcurrentHashMap<>();

    RecentlyChecked(Duration ttl) {
        this(ttl, System::nanoTime);
    }

    RecentlyChecked(Duration ttl, LongSupplier nanoClock) {
        this.ttl = ttl.toNanos();
        this.nanoClock = nanoClock;
    }

    /** The answer computed for {@code key} less than {@code ttl} ago, else {@code check}'s answer now (kept). */
    V get(K key, Function<K, V> check) {
        Answer<V> held = answers.get(key);
        if (held != null && fresh(held)) {
            return held.value();
        }
        if (answers.size() > PRUNE_ABOVE) {
            answers.values().removeIf(a -> !fresh(a));
        }
        return answers.compute(key, (k, current) -> current != null && fresh(current) ? current
                : new Answer<>(check.apply(k), nanoClock.getAsLong())).value();
    }

    int size() {
        return answers.size();
    }

    private boolean fresh(Answer<V> answer) {
        return nanoClock.getAsLong() - answer.at() < ttl;
    }
}
