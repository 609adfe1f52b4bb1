package dev.stagecraft.sample;

import java.util.List;

/** One Prometheus histogram series: cumulative buckets, sum and count of durations in seconds. */
final class LatencyHistogram {

    /** Upper bounds in seconds, written as they appear in the {@code le} label. */
    static final List<String> BUCKET_LABELS =
            List.of("0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5");

    private static final double[] BOUNDS = BUCKET_LABELS.stream().mapToDouble(Double::parseDouble).toArray();

    private final long[] bucketCounts = new long[BOUNDS.length];
    private long count;
    private double sumSeconds;

    synchronized void observe(double seconds) {
        for (int i = 0; i < BOUNDS.length; i++) {
            if (seconds <= BOUNDS[i]) {
                bucketCounts[i]++;
            }
        }
        count++;
        sumSeconds += seconds;
    }

    /** Copies under the lock so one scrape never shows a bucket above its own _count. */
    synchronized Snapshot snapshot() {
        return new Snapshot(bucketCounts.clone(), count, sumSeconds);
    }

    record Snapshot(long[] cumulativeBuckets, long count, double sumSeconds) {
    }
}
