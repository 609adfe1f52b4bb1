package dev.stagecraft.contracts;

/**
 * One check of a metric analysis, with everything needed to see why it went as it did. {@code metric} is
 * {@code error-rate}, {@code p99-latency-ms}, {@code error-rate-vs-stable} or {@code p99-latency-vs-stable};
 * {@code value} is the pool's measured value (null when nothing could be measured), {@code baseline} the
 * stable pool's (relative checks), {@code threshold} the limit the value is held to (for relative checks
 * already multiplied out), {@code requests} and {@code baselineRequests} the sample sizes, and {@code result}
 * PASS, FAIL, INCONCLUSIVE or SKIPPED, with {@code note} saying why.
 */
public record AnalysisMeasurement(String metric, String pool, Double value, Double baseline, Double threshold,
        long requests, long baselineRequests, String result, String note) {
    public static final String SKIPPED = "SKIPPED";
}
