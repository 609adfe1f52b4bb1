package dev.stagecraft.router;

import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * A Prometheus histogram of request durations with fixed buckets, lock-free on the request path (one
 * {@link LongAdder} per bucket). Buckets from 0.5 ms, where a loopback proxy hop lies, to 10 s.
 */
final class LatencyHistogram {
    static final double[] BOUNDS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private final LongAdder[] buckets = new LongAdder[BOUNDS.length];
    private final LongAdder count = new LongAdder();
    private final DoubleAdder sum = new DoubleAdder();

    LatencyHistogram() {
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new LongAdder();
        }
    }

    void observe(long nanos) {
        double seconds = nanos / 1e9;
        for (int i = 0; i < BOUNDS.length; i++) {
            if (seconds <= BOUNDS[i]) {
                buckets[i].increment();
                break;
            }
        }
        count.increment();
        sum.add(seconds);
    }

    long count() {
        return count.sum();
    }

    /** The samples of {@code name} ({@code _bucket} cumulative, {@code _sum}, {@code _count}) with these labels. */
    void writeTo(PrometheusText text, String name, String... labels) {
        long cumulative = 0;
        String[] withLe = java.util.Arrays.copyOf(labels, labels.length + 2);
        withLe[labels.length] = "le";
        for (int i = 0; i < BOUNDS.length; i++) {
            cumulative += buckets[i].sum();
            withLe[labels.length + 1] = Double.toString(BOUNDS[i]);
            text.sample(name + "_bucket", cumulative, withLe);
        }
        // Read count once: the +Inf bucket and _count must agree even while requests are counted meanwhile.
        long total = Math.max(count.sum(), cumulative);
        withLe[labels.length + 1] = "+Inf";
        text.sample(name + "_bucket", total, withLe);
        text.sample(name + "_sum", sum.sum(), labels);
        text.sample(name + "_count", total, labels);
    }
}
